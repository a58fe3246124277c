/* a .rodata default struct passed as the value of bpf_map_update_elem (read-only memory may be read by helpers): accept */
#include "corpus.h"

struct limits {
	u64 rate;
	u64 burst;
};

const volatile struct limits default_limits = { .rate = 1 << 20, .burst = 1 << 16 };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct limits);
} limits_by_uid SEC(".maps");

SEC("tp/syscalls/sys_enter_connect")
int rodata_map_update_value(void *ctx)
{
	u32 uid = (u32)bpf_get_current_uid_gid();

	bpf_map_update_elem(&limits_by_uid, &uid, (const void *)&default_limits, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

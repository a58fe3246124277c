#include "isa.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

SEC("socket")
int map_update(void *ctx)
{
	u32 key = bpf_get_prandom_u32() & 63;
	u64 one = 1, *val = bpf_map_lookup_elem(&counts, &key);
	if (val)
		*val += 1;
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	bpf_map_delete_elem(&counts, &key);
	return bpf_ktime_get_ns() & 1;
}

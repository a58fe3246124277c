/* a per-CPU array lookup with a constant in-bounds key is never NULL (used without a check): accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

SEC("tc")
int map_percpu_const_key_no_check(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *count = bpf_map_lookup_elem(&counters, &key);

	*count += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

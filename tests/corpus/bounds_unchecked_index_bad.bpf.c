/* a packet-derived index used on a map value without a bounds check: reject "unbounded memory access, make sure to bounds check any such access" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

SEC("tc")
int bounds_unchecked_index(struct __sk_buff *skb)
{
	u32 key = 0, idx = skb->len;
	u64 *v = bpf_map_lookup_elem(&counters, &key);

	if (!v)
		return 0;
	return v[idx];
}

char LICENSE[] SEC("license") = "GPL";

/* a signed index checked only from above, so it may be negative: reject "value -2147483648 makes map_value pointer be out of bounds" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

SEC("tc")
int bounds_signed_index(struct __sk_buff *skb)
{
	u32 key = 0;
	int idx = (int)skb->mark;
	u64 *v = bpf_map_lookup_elem(&counters, &key);

	if (!v || idx >= 1)
		return 0;
	return *((u8 *)v + idx);
}

char LICENSE[] SEC("license") = "GPL";

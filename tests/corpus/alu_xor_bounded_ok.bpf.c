/* an index checked < 8 then XORed with 1 keeps its bounds (tnum): accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32[8]);
} pairs SEC(".maps");

SEC("tc")
int alu_xor_bounded(struct __sk_buff *skb)
{
	u32 key = 0;
	u32 *v = bpf_map_lookup_elem(&pairs, &key);
	u32 idx = skb->mark & 7;

	if (!v)
		return 0;
	return v[idx ^ 1];
}

char LICENSE[] SEC("license") = "GPL";

/* an s32 index checked only against an upper bound (signed compare) indexes a map value: reject "math between map_value pointer and register with unbounded min value is not allowed" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[16]);
} slots SEC(".maps");

SEC("tc")
int alu32_signed_index_negative(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&slots, &key);
	s32 idx = (s32)skb->mark;

	if (!v)
		return 0;
	if (idx >= 16)
		return 0;
	return v[idx];
}

char LICENSE[] SEC("license") = "GPL";

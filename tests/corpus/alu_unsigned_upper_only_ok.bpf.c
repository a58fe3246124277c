/* a priority - 4 index compared unsigned (u64 i < 8; negative values wrap to huge ones) needs no lower check: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, s64[8]);
} deltas SEC(".maps");

SEC("tc")
int alu_unsigned_upper_only(struct __sk_buff *skb)
{
	u32 key = 0;
	s64 *d = bpf_map_lookup_elem(&deltas, &key);
	u64 idx = (u64)skb->priority - 4;

	if (!d)
		return TC_ACT_OK;
	if (idx >= 8)
		return TC_ACT_OK;
	d[idx] += skb->len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

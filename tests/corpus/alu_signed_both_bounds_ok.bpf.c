/* a signed 64-bit index checked on both sides (0 <= i < 8) before use: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, s64[8]);
} deltas SEC(".maps");

SEC("tc")
int alu_signed_both_bounds(struct __sk_buff *skb)
{
	u32 key = 0;
	s64 *d = bpf_map_lookup_elem(&deltas, &key);
	s64 idx = (s64)skb->priority - 4;

	if (!d)
		return TC_ACT_OK;
	if (idx < 0 || idx >= 8)
		return TC_ACT_OK;
	d[idx] += skb->len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

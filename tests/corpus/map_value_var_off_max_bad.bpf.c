/* a variable offset bounded by 64 into a 64-byte value read with 8-byte loads (the last one crosses the end): reject "R0 max value is outside of the allowed memory range" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[64]);
} pattern SEC(".maps");

SEC("tc")
int map_value_var_off_max(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *pat = bpf_map_lookup_elem(&pattern, &key);
	u64 off = skb->cb[0];

	if (!pat || off > 63)
		return TC_ACT_OK;
	/* off <= 63, but the load is 8 bytes wide */
	return *(u64 *)(pat + off) == 0;
}

char LICENSE[] SEC("license") = "GPL";

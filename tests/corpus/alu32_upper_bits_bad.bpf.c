/* a 32-bit compare bounds only the low half of a 64-bit value whose upper half is unknown: reject "math between map_value pointer and register with unbounded min value is not allowed" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[64]);
} dscp_seen SEC(".maps");

SEC("tc")
int alu32_upper_bits(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *seen = bpf_map_lookup_elem(&dscp_seen, &key);
	register u64 dscp asm("r6") = (u64)bpf_get_prandom_u32() << 32 | skb->tc_index;

	if (!seen)
		return TC_ACT_OK;
	/* the bug: the 32-bit test says nothing about bits 32..63 */
	asm volatile goto("if w6 > 63 goto %l[out]"
			  : : "r"(dscp) : : out);
	seen[dscp] = 1;
out:
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

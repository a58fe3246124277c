/* a 32-bit compare (if w6 > 63) bounds a value zero-extended by a 32-bit move: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[64]);
} dscp_seen SEC(".maps");

SEC("tc")
int alu32_jmp32_bounds(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *seen = bpf_map_lookup_elem(&dscp_seen, &key);
	register u64 dscp asm("r6") = skb->tc_index;

	if (!seen)
		return TC_ACT_OK;
	asm volatile goto("w6 = w6;"
			  "if w6 > 63 goto %l[out]"
			  : : "r"(dscp) : : out);
	seen[dscp] = 1;
out:
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

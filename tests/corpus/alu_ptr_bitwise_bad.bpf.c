/* aligning a map value pointer with a bitwise AND (p & ~7): reject "R0 bitwise operator &= on pointer prohibited" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[64]);
} scratch SEC(".maps");

SEC("tc")
int alu_ptr_bitwise(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *buf = bpf_map_lookup_elem(&scratch, &key);
	u64 *slot;

	if (!buf)
		return TC_ACT_OK;
	slot = (u64 *)((unsigned long)(buf + 13) & ~7UL);
	*slot = skb->len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

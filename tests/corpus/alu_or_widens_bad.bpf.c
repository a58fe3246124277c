/* an index checked (< 8) and then OR-ed with a flag bit (| 8) reaches past 8 slots ("invalid access to map value, value_size=64 off=64 size=8" first): reject "R0 min value is outside of the allowed memory range" */
#include "corpus.h"

#define TC_ACT_OK 0
#define PACKET_HOST 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[8]);
} prio_bytes SEC(".maps");

SEC("tc")
int alu_or_widens(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *bytes = bpf_map_lookup_elem(&prio_bytes, &key);
	u64 prio = skb->priority;

	if (!bytes || prio >= 8)
		return TC_ACT_OK;
	if (skb->pkt_type != PACKET_HOST)
		prio |= 8;	/* "not for us" packets in the upper half, forgetting the size */
	bytes[prio] += skb->len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

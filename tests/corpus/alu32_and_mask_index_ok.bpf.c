/* a 32-bit AND (w &= 15) bounds a packet-derived index into a 16-slot map value: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct queue_hits {
	u64 hits[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct queue_hits);
} queue_stats SEC(".maps");

SEC("tc")
int alu32_and_mask_index(struct __sk_buff *skb)
{
	u32 key = 0;
	struct queue_hits *qs = bpf_map_lookup_elem(&queue_stats, &key);
	register u64 queue asm("r6") = skb->hash;

	if (!qs)
		return TC_ACT_OK;
	/* 32-bit AND: the upper half is zeroed, the lower half is at most 15 */
	asm volatile("w6 &= 15" : "+r"(queue));
	__sync_fetch_and_add(&qs->hits[queue], 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

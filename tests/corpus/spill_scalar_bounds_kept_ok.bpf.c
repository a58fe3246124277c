/* a bounded index spilled to the stack and filled back keeps its bounds: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[8]);
} prio_pkts SEC(".maps");

SEC("tc")
int spill_scalar_bounds_kept(struct __sk_buff *skb)
{
	u32 key = 0;
	volatile u64 prio = skb->priority & 7;	/* spilled */
	u64 *pkts = bpf_map_lookup_elem(&prio_pkts, &key);

	if (!pkts)
		return TC_ACT_OK;
	pkts[prio]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

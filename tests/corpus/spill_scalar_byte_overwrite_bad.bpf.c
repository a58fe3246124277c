/* a bounded index spilled, one of its bytes overwritten, filled back (bounds lost): reject "math between map_value pointer and register with unbounded min value is not allowed" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[8]);
} prio_pkts SEC(".maps");

SEC("tc")
int spill_scalar_byte_overwrite(struct __sk_buff *skb)
{
	u32 key = 0;
	union {
		u64 idx;
		u8 bytes[8];
	} volatile prio;
	u64 *pkts;

	prio.idx = skb->priority & 7;
	prio.bytes[1] = skb->tc_index;	/* meant to store a second field next to it */
	pkts = bpf_map_lookup_elem(&prio_pkts, &key);
	if (!pkts)
		return TC_ACT_OK;
	pkts[prio.idx]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

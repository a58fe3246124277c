/* a bounded 64-bit scalar spilled and its low 4 bytes filled back keep the bounds: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[8]);
} prio_pkts SEC(".maps");

SEC("tc")
int spill_scalar_narrow_fill(struct __sk_buff *skb)
{
	u32 key = 0;
	union {
		u64 wide;
		u32 low;	/* little-endian: the low half is at offset 0 */
	} volatile prio;
	u64 *pkts;

	prio.wide = skb->priority & 7;
	pkts = bpf_map_lookup_elem(&prio_pkts, &key);
	if (!pkts)
		return TC_ACT_OK;
	pkts[prio.low]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

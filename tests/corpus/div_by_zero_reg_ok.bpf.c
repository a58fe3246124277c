/* an average bytes / packets with a packet count that may be 0 (BPF division by zero gives 0): accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct flow_totals {
	u64 packets;
	u64 bytes;
	u64 avg_size;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct flow_totals);
} flows SEC(".maps");

SEC("tc")
int div_by_zero_reg(struct __sk_buff *skb)
{
	u32 key = skb->hash;
	struct flow_totals *t = bpf_map_lookup_elem(&flows, &key);

	if (!t)
		return TC_ACT_OK;
	t->bytes += skb->len;
	/* packets is only bumped below; the first packet divides by 0 */
	t->avg_size = t->bytes / t->packets;
	t->packets++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

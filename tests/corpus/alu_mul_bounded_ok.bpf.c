/* a record offset computed as slot * 24 with slot < 10 stays inside a 240-byte value: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct rec {
	u64 packets;
	u64 bytes;
	u64 last_seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct rec[10]);
} recs SEC(".maps");

SEC("tc")
int alu_mul_bounded(struct __sk_buff *skb)
{
	u32 key = 0;
	void *base = bpf_map_lookup_elem(&recs, &key);
	u64 slot = skb->ifindex;
	struct rec *r;

	if (!base || slot >= 10)
		return TC_ACT_OK;
	r = base + slot * sizeof(struct rec);
	r->packets++;
	r->bytes += skb->len;
	r->last_seen = bpf_ktime_get_ns();
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

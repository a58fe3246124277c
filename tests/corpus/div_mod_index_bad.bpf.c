/* a slot computed as ifindex % 10 indexes a 10-record value (the verifier does not bound the result of a modulo): reject "math between map_value pointer and register with unbounded min value is not allowed" */
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
int div_mod_index(struct __sk_buff *skb)
{
	u32 key = 0;
	void *base = bpf_map_lookup_elem(&recs, &key);
	u64 slot = skb->ifindex % 10;
	struct rec *r;

	if (!base)
		return TC_ACT_OK;
	r = base + slot * sizeof(struct rec);
	r->packets++;
	r->bytes += skb->len;
	r->last_seen = bpf_ktime_get_ns();
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

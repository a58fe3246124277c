/* an early return on one branch skips bpf_spin_unlock: reject "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region" */
#include "corpus.h"

#define TC_ACT_OK 0

struct quota {
	struct bpf_spin_lock lock;
	u64 remaining;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, struct quota);
} quotas SEC(".maps");

SEC("tc")
int spin_lock_unlock_one_branch(struct __sk_buff *skb)
{
	u32 key = skb->mark;
	struct quota *q = bpf_map_lookup_elem(&quotas, &key);

	if (!q)
		return TC_ACT_OK;
	bpf_spin_lock(&q->lock);
	if (q->remaining < skb->len)
		return 2;	/* drop, still holding the lock */
	q->remaining -= skb->len;
	bpf_spin_unlock(&q->lock);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

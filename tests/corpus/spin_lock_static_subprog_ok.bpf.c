/* a static subprogram (no helper calls) called while a bpf_spin_lock is held: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct queue_stats {
	struct bpf_spin_lock lock;
	u64 enq;
	u64 bytes;
	u64 max_len;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, u32);
	__type(value, struct queue_stats);
} qstats SEC(".maps");

static __noinline void account(struct queue_stats *qs, u32 len)
{
	qs->enq++;
	qs->bytes += len;
	if (len > qs->max_len)
		qs->max_len = len;
}

SEC("tc")
int spin_lock_static_subprog(struct __sk_buff *skb)
{
	u32 key = skb->queue_mapping & 7;
	struct queue_stats *qs = bpf_map_lookup_elem(&qstats, &key);

	if (!qs)
		return TC_ACT_OK;
	bpf_spin_lock(&qs->lock);
	account(qs, skb->len);
	bpf_spin_unlock(&qs->lock);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

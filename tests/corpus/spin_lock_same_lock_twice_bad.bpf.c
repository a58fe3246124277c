/* bpf_spin_lock taken a second time on the lock already held (a self-deadlock; the second call is refused inside the lock region): reject "function calls are not allowed while holding a lock" */
#include "corpus.h"

#define TC_ACT_OK 0

struct queue_stats {
	struct bpf_spin_lock lock;
	u64 enq;
	u64 deq;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, u32);
	__type(value, struct queue_stats);
} qstats SEC(".maps");

SEC("tc")
int spin_lock_same_lock_twice(struct __sk_buff *skb)
{
	u32 key = skb->queue_mapping & 7;
	struct queue_stats *qs = bpf_map_lookup_elem(&qstats, &key);

	if (!qs)
		return TC_ACT_OK;
	bpf_spin_lock(&qs->lock);
	qs->enq++;
	bpf_spin_lock(&qs->lock);	/* copy-pasted from the dequeue path */
	qs->deq++;
	bpf_spin_unlock(&qs->lock);
	bpf_spin_unlock(&qs->lock);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

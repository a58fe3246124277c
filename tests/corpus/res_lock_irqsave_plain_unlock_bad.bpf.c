/* a lock taken with bpf_res_spin_lock_irqsave released with plain bpf_res_spin_unlock: reject "bpf_res_spin_unlock of different lock" */
#include "corpus.h"

struct locked {
	struct bpf_res_spin_lock lock;
	long value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, int);
	__type(value, struct locked);
} locks SEC(".maps");

static struct locked *slot(int key)
{
	return bpf_map_lookup_elem(&locks, &key);
}

SEC("tc")
int res_lock_irqsave_plain_unlock(struct __sk_buff *skb)
{
	struct locked *l = slot(0);
	unsigned long flags;

	if (!l)
		return 0;
	if (bpf_res_spin_lock_irqsave(&l->lock, &flags))
		return 0;
	bpf_res_spin_unlock(&l->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

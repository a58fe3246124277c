/* bpf_res_spin_unlock_irqrestore of a plain-locked lock with a flag saved by bpf_local_irq_save (the lock kind is checked before the flag kind): reject "bpf_res_spin_unlock of different lock" */
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

SEC("tc")
int res_unlock_irqrestore_native_flag(struct __sk_buff *skb)
{
	int key = 0;
	struct locked *l = bpf_map_lookup_elem(&locks, &key);
	unsigned long flags;

	if (!l)
		return 0;
	bpf_local_irq_save(&flags);
	if (bpf_res_spin_lock(&l->lock)) {
		bpf_local_irq_restore(&flags);
		return 0;
	}
	bpf_res_spin_unlock_irqrestore(&l->lock, &flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

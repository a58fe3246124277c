/* two different bpf_res_spin_locks taken and released in LIFO order: accept */
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
int res_lock_two_lifo(struct __sk_buff *skb)
{
	struct locked *a = slot(0), *b = slot(1);

	if (!a || !b)
		return 0;
	if (bpf_res_spin_lock(&a->lock))
		return 0;
	if (bpf_res_spin_lock(&b->lock)) {
		bpf_res_spin_unlock(&a->lock);
		return 0;
	}
	bpf_res_spin_unlock(&b->lock);
	bpf_res_spin_unlock(&a->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

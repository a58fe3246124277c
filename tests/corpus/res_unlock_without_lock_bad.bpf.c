/* bpf_res_spin_unlock without any lock held: reject "bpf_res_spin_unlock without taking a lock" */
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
int res_unlock_without_lock(struct __sk_buff *skb)
{
	struct locked *l = slot(0);

	if (!l)
		return 0;
	bpf_res_spin_unlock(&l->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* calling a helper while a bpf_res_spin_lock is held: reject "function calls are not allowed while holding a lock" */
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
int res_lock_call_inside(struct __sk_buff *skb)
{
	struct locked *l = slot(0);

	if (!l)
		return 0;
	if (bpf_res_spin_lock(&l->lock))
		return 0;
	l->value = bpf_ktime_get_ns();
	bpf_res_spin_unlock(&l->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

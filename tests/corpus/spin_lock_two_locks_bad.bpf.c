/* taking a second bpf_spin_lock while holding one (the call itself is refused in a lock region): reject "function calls are not allowed while holding a lock" */
#include "corpus.h"

struct locked_val {
	struct bpf_spin_lock lock;
	u64 value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, struct locked_val);
} vals SEC(".maps");

SEC("tc")
int spin_lock_two_locks(struct __sk_buff *skb)
{
	u32 k0 = 0, k1 = 1;
	struct locked_val *a = bpf_map_lookup_elem(&vals, &k0);
	struct locked_val *b = bpf_map_lookup_elem(&vals, &k1);

	if (!a || !b)
		return 0;
	bpf_spin_lock(&a->lock);
	bpf_spin_lock(&b->lock);
	bpf_spin_unlock(&b->lock);
	bpf_spin_unlock(&a->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

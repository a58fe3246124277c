/* bpf_spin_unlock with no lock held: reject "bpf_spin_unlock without taking a lock" */
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
int spin_unlock_without_lock(struct __sk_buff *skb)
{
	u32 key = 0;
	struct locked_val *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return 0;
	bpf_spin_unlock(&v->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_spin_lock/unlock around a map value update in tc: accept */
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
int spin_lock(struct __sk_buff *skb)
{
	u32 key = 0;
	struct locked_val *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->value += skb->len;
	bpf_spin_unlock(&v->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

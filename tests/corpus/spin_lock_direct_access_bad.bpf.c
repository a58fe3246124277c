/* reading the bpf_spin_lock field of a map value directly: reject "bpf_spin_lock cannot be accessed directly by load/store" */
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
int spin_lock_direct_access(struct __sk_buff *skb)
{
	u32 key = 0;
	struct locked_val *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return 0;
	return *(volatile u32 *)&v->lock;
}

char LICENSE[] SEC("license") = "GPL";

/* the inner map of an array-of-maps lookup used without a NULL check: reject "R1 type=map_ptr_or_null expected=map_ptr" */
#include "corpus.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} inner0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner0 },
};

SEC("tc")
int map_in_map_no_null_check(struct __sk_buff *skb)
{
	u32 key = 0;
	void *map = bpf_map_lookup_elem(&outer, &key);
	u64 *v;

	v = bpf_map_lookup_elem(map, &key);
	if (!v)
		return 0;
	return *v;
}

char LICENSE[] SEC("license") = "GPL";

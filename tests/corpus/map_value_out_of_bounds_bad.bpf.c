/* reading past the end of an 8-byte map value ("invalid access to map value, value_size=8 off=8 size=8" first): reject "R0 min value is outside of the allowed memory range" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

SEC("tc")
int map_value_out_of_bounds(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counters, &key);

	if (!v)
		return 0;
	return v[1];
}

char LICENSE[] SEC("license") = "GPL";

/* a read 8 bytes before the start of a map value: reject "R0 min value is outside of the allowed memory range" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[4]);
} vals SEC(".maps");

SEC("tc")
int map_value_negative_offset(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&vals, &key);

	if (!v)
		return 0;
	return *(volatile u64 *)((char *)v - 8);
}

char LICENSE[] SEC("license") = "GPL";

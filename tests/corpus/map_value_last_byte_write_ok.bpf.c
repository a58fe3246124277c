/* a write to the last byte of a map value: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[13]);
} tags SEC(".maps");

SEC("tc")
int map_value_last_byte_write(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *v = bpf_map_lookup_elem(&tags, &key);

	if (!v)
		return 0;
	v[12] = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a u32 index checked <= 15 then added to a large 32-bit constant (it wraps): reject "R0 unbounded memory access, make sure to bounds check any such access" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[16]);
} bytes SEC(".maps");

SEC("tc")
int alu32_add_wraps(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *v = bpf_map_lookup_elem(&bytes, &key);
	u32 idx = skb->mark;

	if (!v || idx > 15)
		return 0;
	idx += 0xfffffff8;
	return v[idx];
}

char LICENSE[] SEC("license") = "GPL";

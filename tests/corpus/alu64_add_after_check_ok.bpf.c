/* a u64 offset checked < 8 then moved by a constant 4 still fits a 16-byte map value: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[16]);
} bytes SEC(".maps");

SEC("tc")
int alu64_add_after_check(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *v = bpf_map_lookup_elem(&bytes, &key);
	u64 off = skb->priority;

	if (!v || off >= 8)
		return 0;
	off += 4;
	return v[off];
}

char LICENSE[] SEC("license") = "GPL";

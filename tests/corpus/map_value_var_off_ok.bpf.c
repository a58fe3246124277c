/* a variable offset checked so that an 8-byte load stays inside a 64-byte value (off <= 56): accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[64]);
} pattern SEC(".maps");

SEC("tc")
int map_value_var_off(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *pat = bpf_map_lookup_elem(&pattern, &key);
	u64 off = skb->cb[0];

	if (!pat || off > 64 - sizeof(u64))
		return TC_ACT_OK;
	return *(u64 *)(pat + off) == 0;
}

char LICENSE[] SEC("license") = "GPL";

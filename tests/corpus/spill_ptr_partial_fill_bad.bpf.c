/* a spilled map value pointer read back with a 4-byte load (half a pointer): reject "invalid size of register fill" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} seen SEC(".maps");

SEC("tc")
int spill_ptr_partial_fill(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *volatile slot = bpf_map_lookup_elem(&seen, &key);
	u32 low;

	if (!slot)
		return TC_ACT_OK;
	/* hashing the pointer's low half as a cookie */
	low = *(volatile u32 *)&slot;
	return low & 1;
}

char LICENSE[] SEC("license") = "GPL";

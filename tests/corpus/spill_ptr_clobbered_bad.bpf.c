/* one byte of a spilled map value pointer overwritten, then the slot filled and dereferenced: reject "invalid mem access 'scalar'" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} seen SEC(".maps");

SEC("tc")
int spill_ptr_clobbered(struct __sk_buff *skb)
{
	u32 key = 0;
	union {
		u64 *ptr;
		u8 bytes[8];
	} volatile slot;

	slot.ptr = bpf_map_lookup_elem(&seen, &key);
	if (!slot.ptr)
		return TC_ACT_OK;
	slot.bytes[0] = skb->len;	/* a union member reused as scratch */
	*slot.ptr += 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

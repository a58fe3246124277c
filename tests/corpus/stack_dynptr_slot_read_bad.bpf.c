/* reading the raw bytes of a struct bpf_dynptr on the stack (a dynptr slot is not plain memory): reject "invalid read from stack off -16+0 size 8" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[64]);
} scratch SEC(".maps");

SEC("tc")
int stack_dynptr_slot_read(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	u32 key = 0;
	u8 *buf = bpf_map_lookup_elem(&scratch, &key);

	if (!buf)
		return TC_ACT_OK;
	bpf_dynptr_from_mem(buf, 64, 0, &ptr);
	/* peeking at the dynptr's data pointer instead of using bpf_dynptr_data() */
	return *(volatile u64 *)&ptr != 0;
}

char LICENSE[] SEC("license") = "GPL";

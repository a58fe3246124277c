/* a 32-bit add on a map value pointer (w-register arithmetic truncates pointers): reject "32-bit pointer arithmetic prohibited" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[4]);
} scratch SEC(".maps");

SEC("tc")
int alu32_ptr_arith(struct __sk_buff *skb)
{
	u32 key = 0;
	register u64 *v asm("r6") = bpf_map_lookup_elem(&scratch, &key);

	if (!v)
		return TC_ACT_OK;
	asm volatile("w6 += 8" : "+r"(v));
	*v = skb->len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

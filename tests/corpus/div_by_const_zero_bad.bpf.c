/* a division by the immediate 0 (a constant divisor is checked statically): reject "div by zero" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} kbytes SEC(".maps");

SEC("tc")
int div_by_const_zero(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *kb = bpf_map_lookup_elem(&kbytes, &key);
	u64 len = skb->len;

	if (!kb)
		return TC_ACT_OK;
	/* a unit table entry left at 0 and pasted in as an immediate */
	asm volatile("%0 /= 0" : "+r"(len));
	*kb += len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

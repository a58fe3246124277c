/* a signed division (cpu v4 sdiv) of a signed delta by 2, including by a register that may be -1 or 0: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, s64);
} smoothed_delta SEC(".maps");

SEC("tc")
int div_signed_sdiv(struct __sk_buff *skb)
{
	u32 key = 0;
	s64 *avg = bpf_map_lookup_elem(&smoothed_delta, &key);
	s64 delta, scale = (s64)skb->mark;

	if (!avg)
		return TC_ACT_OK;
	delta = (s64)skb->len - *avg;
	asm volatile("%0 s/= 2" : "+r"(delta));
	asm volatile("%0 s/= %1" : "+r"(delta) : "r"(scale));
	*avg += delta;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

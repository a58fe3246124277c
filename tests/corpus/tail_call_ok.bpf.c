/* bpf_tail_call through a prog array with a fall-through return: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u32);
} jumps SEC(".maps");

SEC("tc")
int tail_call(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jumps, skb->len & 3);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_cast_to_kern_ctx turns the tc context into a readable struct sk_buff: accept */
#include "corpus.h"

SEC("tc")
int cast_to_kern_ctx(struct __sk_buff *skb)
{
	struct sk_buff *kskb = bpf_cast_to_kern_ctx(skb);

	return kskb->len + kskb->mark;
}

char LICENSE[] SEC("license") = "GPL";

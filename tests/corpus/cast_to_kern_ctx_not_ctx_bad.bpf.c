/* bpf_cast_to_kern_ctx of a stack pointer instead of the context: reject "arg#0 expected pointer to ctx, but got fp" */
#include "corpus.h"

SEC("tc")
int cast_to_kern_ctx_not_ctx(struct __sk_buff *skb)
{
	long slot = skb->len;
	struct sk_buff *kskb = bpf_cast_to_kern_ctx(&slot);

	return kskb->len;
}

char LICENSE[] SEC("license") = "GPL";

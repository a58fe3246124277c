/* writing through the struct sk_buff from bpf_cast_to_kern_ctx (read-only, untrusted): reject "only read is supported" */
#include "corpus.h"

SEC("tc")
int cast_kern_ctx_write(struct __sk_buff *skb)
{
	struct sk_buff *kskb = bpf_cast_to_kern_ctx(skb);

	kskb->mark = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a global function taking the tc context pointer, called with it: accept */
#include "corpus.h"

__noinline int is_big(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	return skb->len > 1000;
}

SEC("tc")
int subprog_global_ctx_arg(struct __sk_buff *skb)
{
	return is_big(skb);
}

char LICENSE[] SEC("license") = "GPL";

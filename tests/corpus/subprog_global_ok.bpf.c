/* a global function (verified on its own) taking a NULL-checked pointer: accept */
#include "corpus.h"

__noinline int read_len(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	return skb->len;
}

SEC("tc")
int subprog_global(struct __sk_buff *skb)
{
	return read_len(skb) > 100;
}

char LICENSE[] SEC("license") = "GPL";

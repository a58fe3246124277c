/* tc writes skb->mark (a writable context field): accept */
#include "corpus.h"

SEC("tc")
int ctx_write_mark(struct __sk_buff *skb)
{
	skb->mark = skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

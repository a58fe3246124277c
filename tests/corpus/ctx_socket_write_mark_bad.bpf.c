/* a socket filter setting skb->mark (socket filters may write only cb[]): reject "invalid bpf_context access off=8 size=4" */
#include "corpus.h"

SEC("socket")
int ctx_socket_write_mark(struct __sk_buff *skb)
{
	if (skb->protocol == 0xdd86)
		skb->mark = 6;
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";

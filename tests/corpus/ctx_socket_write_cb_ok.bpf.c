/* a socket filter stores a verdict in skb->cb[0] (the one writable area of its context) and reads it back: accept */
#include "corpus.h"

SEC("socket")
int ctx_socket_write_cb(struct __sk_buff *skb)
{
	skb->cb[0] = skb->protocol == 0xdd86 ? 6 : 4;
	skb->cb[1] = skb->len;
	return skb->cb[0] == 6 ? skb->cb[1] : 0;
}

char LICENSE[] SEC("license") = "GPL";

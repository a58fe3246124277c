/* a socket filter calling bpf_redirect (a tc/XDP helper): reject "program of this type cannot use helper bpf_redirect#23" */
#include "corpus.h"

SEC("socket")
int helper_socket_redirect(struct __sk_buff *skb)
{
	if (skb->protocol == 0xdd86)
		return bpf_redirect(2, 0);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";

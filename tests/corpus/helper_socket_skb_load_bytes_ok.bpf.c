/* bpf_skb_load_bytes of 14 bytes into a stack buffer from a socket filter: accept */
#include "corpus.h"

SEC("socket")
int helper_socket_skb_load_bytes(struct __sk_buff *skb)
{
	struct ethhdr eth;

	if (bpf_skb_load_bytes(skb, 0, &eth, sizeof(eth)))
		return 0;
	return eth.h_proto == 0x0008 ? -1 : 0;
}

char LICENSE[] SEC("license") = "GPL";

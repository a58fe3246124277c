/* bpf_dynptr_slice_rdwr in a socket filter, which may not write packet data: reject "the prog does not allow writes to packet data"; 6.18.44-fc-v1272: reject "bpf_dynptr_slice_rdwr() is not allowed" */
#include "corpus.h"

SEC("socket")
int dynptr_slice_rdwr_socket(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	struct ethhdr buf, *eth;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return 0;
	eth = bpf_dynptr_slice_rdwr(&ptr, 0, &buf, sizeof(buf));
	if (!eth)
		return 0;
	return eth->h_proto;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_dynptr_slice_rdwr writes the packet in tc (direct write allowed): accept; 6.18.44-fc-v1272: reject "bpf_dynptr_slice_rdwr() is not allowed" */
#include "corpus.h"

SEC("tc")
int dynptr_slice_rdwr_tc(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	struct ethhdr buf, *eth;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return 0;
	eth = bpf_dynptr_slice_rdwr(&ptr, 0, &buf, sizeof(buf));
	if (!eth)
		return 0;
	eth->h_proto = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

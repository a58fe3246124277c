/* bpf_dynptr_from_skb in tc and a NULL-checked bpf_dynptr_slice of the Ethernet header: accept */
#include "corpus.h"

SEC("tc")
int dynptr_from_skb_slice(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	struct ethhdr buf, *eth;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return 0;
	eth = bpf_dynptr_slice(&ptr, 0, &buf, sizeof(buf));
	if (!eth)
		return 0;
	return eth->h_proto;
}

char LICENSE[] SEC("license") = "GPL";

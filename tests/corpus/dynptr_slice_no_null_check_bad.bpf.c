/* reading a bpf_dynptr_slice result without a NULL check: reject "invalid mem access 'rdonly_mem_or_null'" */
#include "corpus.h"

SEC("tc")
int dynptr_slice_no_null_check(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	struct ethhdr buf, *eth;

	bpf_dynptr_from_skb(skb, 0, &ptr);
	eth = bpf_dynptr_slice(&ptr, 0, &buf, sizeof(buf));
	return eth->h_proto;
}

char LICENSE[] SEC("license") = "GPL";

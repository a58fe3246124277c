/* bpf_dynptr_from_xdp is not registered for tc programs: reject "calling kernel function bpf_dynptr_from_xdp is not allowed" */
#include "corpus.h"

SEC("tc")
int dynptr_from_xdp_in_tc(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;

	bpf_dynptr_from_xdp((struct xdp_md *)skb, 0, &ptr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

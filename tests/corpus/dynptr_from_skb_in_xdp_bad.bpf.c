/* bpf_dynptr_from_skb is not registered for XDP programs: reject "calling kernel function bpf_dynptr_from_skb is not allowed" */
#include "corpus.h"

SEC("xdp")
int dynptr_from_skb_in_xdp(struct xdp_md *ctx)
{
	struct bpf_dynptr ptr;

	bpf_dynptr_from_skb((struct __sk_buff *)ctx, 0, &ptr);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

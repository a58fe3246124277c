/* bpf_dynptr_from_skb in a tcx/ingress program (a section libbpf 1.1 does not know): accept */
#include "corpus.h"

SEC("tcx/ingress")
int dynptr_from_skb_tcx(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	struct ethhdr buf, *eth;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return TCX_NEXT;
	eth = bpf_dynptr_slice(&ptr, 0, &buf, sizeof(buf));
	if (!eth)
		return TCX_NEXT;
	return eth->h_proto ? TCX_PASS : TCX_NEXT;
}

char LICENSE[] SEC("license") = "GPL";

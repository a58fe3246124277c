/* bpf_skb_load_bytes (an skb helper) called from XDP: reject "program of this type cannot use helper bpf_skb_load_bytes#26" */
#include "corpus.h"

SEC("xdp")
int helper_wrong_prog_type(struct xdp_md *ctx)
{
	char buf[4];

	bpf_skb_load_bytes(ctx, 0, buf, sizeof(buf));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

/* a 2-byte load of xdp_md->ingress_ifindex (xdp_md fields are only read whole): reject "invalid bpf_context access off=12 size=2" */
#include "corpus.h"

SEC("xdp")
int ctx_xdp_narrow_read(struct xdp_md *ctx)
{
	/* "interface indexes here are small" */
	u16 ifindex = *(volatile u16 *)&ctx->ingress_ifindex;

	return ifindex == 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

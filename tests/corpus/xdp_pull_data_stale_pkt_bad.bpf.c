/* a packet pointer checked before bpf_xdp_pull_data and used after it (invalidated): reject "R7 invalid mem access 'scalar'" */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("xdp")
int xdp_pull_data_stale_pkt(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (bpf_xdp_pull_data(ctx, 64))
		return XDP_PASS;
	return eth->h_proto == 0x0008 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

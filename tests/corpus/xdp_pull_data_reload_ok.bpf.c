/* bpf_xdp_pull_data (packet-changing kfunc), then packet pointers reloaded and re-checked: accept */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("xdp")
int xdp_pull_data_reload(struct xdp_md *ctx)
{
	void *data, *data_end;
	struct ethhdr *eth;

	if (bpf_xdp_pull_data(ctx, sizeof(*eth)))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	return eth->h_proto == 0x0008 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

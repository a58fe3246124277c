/* bpf_xdp_metadata_rx_hash in an XDP program loaded without a bound device: reject "metadata kfuncs require device-bound program" */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("xdp")
int xdp_metadata_not_dev_bound(struct xdp_md *ctx)
{
	enum xdp_rss_hash_type type;
	u32 hash;

	if (bpf_xdp_metadata_rx_hash(ctx, &hash, &type))
		return XDP_PASS;
	return hash & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

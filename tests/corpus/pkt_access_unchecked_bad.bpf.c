/* XDP reads the Ethernet header without a data_end check ("invalid access to packet" first): reject "offset is outside of the packet" */
#include "corpus.h"

SEC("xdp")
int pkt_access_unchecked(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	return eth->h_proto == 0 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

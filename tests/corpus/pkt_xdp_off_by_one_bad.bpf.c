/* the Ethernet header is range-checked but the first IP byte after it is read ("invalid access to packet, off=14 size=1, R2(id=0,off=14,r=14)" first): reject "R2 offset is outside of the packet" */
#include "corpus.h"

SEC("xdp")
int pkt_xdp_off_by_one(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	u8 version_ihl;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != 0x0008)	/* htons(ETH_P_IP) */
		return XDP_PASS;
	version_ihl = *(u8 *)(eth + 1);	/* one byte past the checked range */
	return (version_ihl >> 4) == 4 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

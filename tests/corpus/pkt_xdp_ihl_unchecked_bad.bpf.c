/* the UDP header found with ihl * 4, but only a fixed 20-byte IP header plus UDP header were checked ("invalid access to packet, off=16 size=2, R2(id=1,off=16,r=0)" first): reject "R2 offset is outside of the packet" */
#include "corpus.h"

SEC("xdp")
int pkt_xdp_ihl_unchecked(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if (data + sizeof(*eth) + sizeof(*ip) + sizeof(*udp) > data_end)
		return XDP_PASS;
	if (eth->h_proto != 0x0008)
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if (ip->protocol != 17)
		return XDP_PASS;
	/* options make the header longer than the 20 bytes checked above */
	udp = (void *)ip + ip->ihl * 4;
	return udp->dest == 0x3500 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

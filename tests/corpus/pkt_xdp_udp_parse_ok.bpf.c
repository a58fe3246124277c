/* XDP parse of Ethernet, IPv4 (fixed header) and UDP, each bounds-checked before use: accept */
#include "corpus.h"

SEC("xdp")
int pkt_xdp_udp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != 17)
		return XDP_PASS;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	return udp->dest == 0x3500 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

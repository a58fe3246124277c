/* the UDP header located with the variable IPv4 header length (ihl * 4) and checked against data_end: accept */
#include "corpus.h"

SEC("xdp")
int pkt_xdp_ihl_offset(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > data_end || eth->h_proto != 0x0008)
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != 17 /* UDP */)
		return XDP_PASS;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	return udp->dest == 0x3500 ? XDP_DROP : XDP_PASS;	/* htons(53) */
}

char LICENSE[] SEC("license") = "GPL";

/* a packet pointer spilled before its data_end check: the check on a copy gives the stack slot the range too: accept */
#include "corpus.h"

SEC("xdp")
int spill_pkt_ptr_range(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *volatile eth = data;	/* spilled before the check */

	if (data + sizeof(struct ethhdr) > data_end)
		return XDP_PASS;
	bpf_get_prandom_u32();
	return eth->h_proto == 0xdd86 ? XDP_DROP : XDP_PASS;	/* htons(ETH_P_IPV6) */
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_xdp_adjust_head pops an outer header, then data and data_end are reloaded and checked again: accept */
#include "corpus.h"

struct vlan_hdr_ {
	u16 tci;
	u16 encap_proto;
};

SEC("xdp")
int pkt_xdp_adjust_head_reload(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, *new_eth;
	struct ethhdr saved;

	if (data + sizeof(*eth) + sizeof(struct vlan_hdr_) > data_end)
		return XDP_PASS;
	if (eth->h_proto != 0x0081)	/* htons(ETH_P_8021Q) */
		return XDP_PASS;
	__builtin_memcpy(&saved, eth, sizeof(saved));
	saved.h_proto = ((struct vlan_hdr_ *)(eth + 1))->encap_proto;
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct vlan_hdr_)))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	new_eth = data;
	if ((void *)(new_eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(new_eth, &saved, sizeof(saved));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

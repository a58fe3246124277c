/* XDP reserves 4 bytes of metadata (bpf_xdp_adjust_meta), checks data_meta + 4 <= data and writes a mark: accept */
#include "corpus.h"

SEC("xdp")
int pkt_xdp_data_meta(struct xdp_md *ctx)
{
	void *data, *meta;
	u32 *mark;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(u32)))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	mark = meta;
	if ((void *)(mark + 1) > data)
		return XDP_PASS;
	*mark = ctx->rx_queue_index | 0x100;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

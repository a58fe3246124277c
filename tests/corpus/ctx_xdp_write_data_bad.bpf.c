/* XDP storing to ctx->data to skip a header (the xdp_md fields are read-only; bpf_xdp_adjust_head moves data): reject "invalid bpf_context access off=0 size=4" */
#include "corpus.h"

SEC("xdp")
int ctx_xdp_write_data(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 18 > data_end)
		return XDP_PASS;
	ctx->data += 4;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

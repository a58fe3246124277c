/* computing data_end - 4 to find a trailer (arithmetic on pkt_end): reject "R1 pointer arithmetic on pkt_end prohibited" */
#include "corpus.h"

SEC("xdp")
int pkt_end_arith(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	u32 *trailer = data_end - sizeof(u32);

	barrier_var(trailer);
	if ((void *)trailer < data)
		return XDP_PASS;
	return *trailer == 0xdeadbeef ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

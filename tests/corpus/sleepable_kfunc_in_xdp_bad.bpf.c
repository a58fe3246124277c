/* the sleepable bpf_copy_from_user_str in XDP (never sleepable): reject "program must be sleepable to call sleepable kfunc bpf_copy_from_user_str" */
#include "corpus.h"

SEC("xdp")
int sleepable_kfunc_in_xdp(struct xdp_md *ctx)
{
	char buf[16];

	bpf_copy_from_user_str(buf, sizeof(buf), (void *)(long)ctx->data, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

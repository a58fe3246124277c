/* an sk_lookup program returns 5 (SK_DROP or SK_PASS only): reject "At program exit the register R0 has smin=5 smax=5 should have been in [0, 1]" */
#include "corpus.h"

SEC("sk_lookup")
int retval_sk_lookup(struct bpf_sk_lookup *ctx)
{
	if (ctx->local_port == 80)
		return 5;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

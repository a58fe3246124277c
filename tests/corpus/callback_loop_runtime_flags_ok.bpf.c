/* bpf_loop with flags known only at run time (checked by the helper, not the verifier): accept */
#include "corpus.h"

static int step(u64 index, void *ctx)
{
	return 0;
}

SEC("tc")
int callback_loop_flags(struct __sk_buff *skb)
{
	bpf_loop(8, step, NULL, skb->mark);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

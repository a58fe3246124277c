/* a raw tracepoint reading a 13th argument (args[12] is past the 12 u64 slots): reject "invalid bpf_context access off=96 size=8" */
#include "corpus.h"

SEC("raw_tp/sched_switch")
int ctx_raw_tp_arg_past_end(struct bpf_raw_tracepoint_args *ctx)
{
	return ctx->args[12] != 0;
}

char LICENSE[] SEC("license") = "GPL";

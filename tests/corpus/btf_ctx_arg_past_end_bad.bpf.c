/* tp_btf/sched_switch reading a fifth argument (the tracepoint has four): reject "invalid bpf_context access off=32 size=8" */
#include "corpus.h"

SEC("tp_btf/sched_switch")
int btf_ctx_arg_past_end(u64 *ctx)
{
	/* preempt, prev, next, prev_state, and an argument from another kernel */
	return ctx[4] != 0;
}

char LICENSE[] SEC("license") = "GPL";

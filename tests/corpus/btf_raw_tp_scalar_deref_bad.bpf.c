/* a raw_tp (untyped) argument dereferenced directly, as a tp_btf program would: reject "invalid mem access 'scalar'" */
#include "corpus.h"

SEC("raw_tp/sched_process_exec")
int btf_raw_tp_scalar_deref(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *p = (struct task_struct *)ctx->args[0];

	/* needs bpf_probe_read_kernel (or tp_btf) */
	return p->pid == 1;
}

char LICENSE[] SEC("license") = "GPL";

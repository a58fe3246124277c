/* a raw sched_switch tracepoint reads args[1] (prev) and fetches prev->pid with bpf_probe_read_kernel: accept */
#include "corpus.h"

SEC("raw_tp/sched_switch")
int ctx_raw_tp_args(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx->args[1];
	pid_t pid = 0;

	bpf_probe_read_kernel(&pid, sizeof(pid), &prev->pid);
	return pid == 1;
}

char LICENSE[] SEC("license") = "GPL";

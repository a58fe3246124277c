/* an iter/task program reading ctx->task->pid without a NULL check: reject "invalid mem access 'trusted_ptr_or_null_'" */
#include "corpus.h"

SEC("iter/task")
int btf_iter_task_no_null_check(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	BPF_SEQ_PRINTF(seq, "%d\n", task->pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* an iter/task program NULL-checks ctx->task (NULL on the final call) before reading it: accept */
#include "corpus.h"

SEC("iter/task")
int btf_iter_task_null_check(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	if (!task)
		return 0;
	BPF_SEQ_PRINTF(seq, "%d %s\n", task->pid, task->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

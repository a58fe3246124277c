/* an iter/task program returning 2 to "skip" a task (iterator programs return 0 or 1): reject "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]" */
#include "corpus.h"

SEC("iter/task")
int retval_iter_nonzero(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;

	if (!task)
		return 0;
	if (task->flags & 0x00200000)	/* PF_KTHREAD */
		return 2;
	BPF_SEQ_PRINTF(seq, "%d\n", task->tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

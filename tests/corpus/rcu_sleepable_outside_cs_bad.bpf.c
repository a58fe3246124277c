/* sleepable program acquiring task->real_parent outside an RCU region (untrusted there): reject "R1 must be a rcu pointer" */
#include "corpus.h"

SEC("syscall")
int rcu_sleepable_outside_cs(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_struct *parent = bpf_task_acquire(task->real_parent);

	if (!parent)
		return 0;
	bpf_task_release(parent);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* sleepable syscall program acquiring the RCU-protected real_parent inside an RCU region: accept */
#include "corpus.h"

SEC("syscall")
int rcu_sleepable_acquire(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_struct *parent;

	bpf_rcu_read_lock();
	parent = bpf_task_acquire(task->real_parent);
	bpf_rcu_read_unlock();
	if (!parent)
		return 0;
	bpf_task_release(parent);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

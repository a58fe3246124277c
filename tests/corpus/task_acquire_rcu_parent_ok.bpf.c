/* bpf_task_acquire (KF_RCU) of the RCU-protected task->real_parent in a tracing program: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_acquire_rcu_parent, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task->real_parent);

	if (!p)
		return 0;
	bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

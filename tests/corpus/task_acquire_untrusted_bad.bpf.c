/* bpf_task_acquire (KF_RCU) of an untrusted walked pointer (task->last_wakee): reject "R1 must be a rcu pointer" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_acquire_untrusted, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task->last_wakee);

	if (p)
		bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

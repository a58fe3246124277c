/* reading a task's field after bpf_task_release: reject "invalid mem access 'scalar'" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_use_after_release, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task);
	int pid;

	if (!p)
		return 0;
	bpf_task_release(p);
	pid = p->pid;
	return pid;
}

char LICENSE[] SEC("license") = "GPL";

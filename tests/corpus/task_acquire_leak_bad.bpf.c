/* bpf_task_acquire without bpf_task_release leaks a reference: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_acquire_leak, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task);

	if (!p)
		return 0;
	return p->pid;
}

char LICENSE[] SEC("license") = "GPL";

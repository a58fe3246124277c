/* dereferencing bpf_task_from_pid's result before a NULL check: reject "invalid mem access 'ptr_or_null_'" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_from_pid_deref_no_check, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_from_pid(1);
	int pid = p->pid;

	if (p)
		bpf_task_release(p);
	return pid;
}

char LICENSE[] SEC("license") = "GPL";

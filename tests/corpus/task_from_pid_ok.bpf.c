/* bpf_task_from_pid result NULL-checked, read and released: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_from_pid, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_from_pid(1);
	int tgid;

	if (!p)
		return 0;
	tgid = p->tgid;
	bpf_task_release(p);
	return tgid;
}

char LICENSE[] SEC("license") = "GPL";

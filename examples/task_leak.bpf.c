/* The same program with the release forgotten on one path: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(count_children_leaky, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *parent = bpf_task_acquire(task->real_parent);
	s32 tgid;

	if (!parent)
		return 0;
	tgid = parent->tgid;
	if (tgid == 1)
		return 0; /* leaks the reference taken above */
	bpf_task_release(parent);
	return tgid;
}

char LICENSE[] SEC("license") = "GPL";

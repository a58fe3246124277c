/* the same acquired task released twice (the first release turns the pointer into a scalar): reject "arg#0 pointer type STRUCT task_struct must point to scalar, or struct with scalar" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_double_release, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task);

	if (!p)
		return 0;
	bpf_task_release(p);
	bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

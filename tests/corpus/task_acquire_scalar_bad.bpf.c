/* passing a scalar as the task pointer of bpf_task_acquire: reject "arg#0 pointer type STRUCT task_struct must point to scalar, or struct with scalar" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_acquire_scalar, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire((struct task_struct *)clone_flags);

	if (p)
		bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

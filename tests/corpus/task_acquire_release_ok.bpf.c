/* bpf_task_acquire of a trusted tracepoint task, NULL-checked and released: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_acquire_release, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task);

	if (!p)
		return 0;
	bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_throw while holding an acquired task reference: reject "bpf_throw would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(throw_with_reference, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task);

	if (!p)
		return 0;
	if (clone_flags & 1)
		bpf_throw(0);
	bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

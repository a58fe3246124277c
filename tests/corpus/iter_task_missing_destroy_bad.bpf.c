/* bpf_iter_task never destroyed: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_task_missing_destroy, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_task it;
	struct task_struct *pos;

	bpf_iter_task_new(&it, NULL, BPF_TASK_ITER_ALL_PROCS);
	pos = bpf_iter_task_next(&it);
	return pos != 0;
}

char LICENSE[] SEC("license") = "GPL";

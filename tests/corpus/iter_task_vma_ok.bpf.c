/* bpf_iter_task_vma over the current task's mappings: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_task_vma, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	int n = 0;

	bpf_iter_task_vma_new(&it, task, 0);
	while ((vma = bpf_iter_task_vma_next(&it)) && n < 100)
		n++;
	bpf_iter_task_vma_destroy(&it);
	return n;
}

char LICENSE[] SEC("license") = "GPL";

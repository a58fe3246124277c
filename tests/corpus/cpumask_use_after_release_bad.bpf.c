/* bpf_cpumask_set_cpu after the mask was released: reject "R2 type=scalar expected=fp" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_use_after_release, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();

	if (!mask)
		return 0;
	bpf_cpumask_release(mask);
	bpf_cpumask_set_cpu(1, mask);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_cpumask_copy of task->cpus_ptr into a created mask, then bpf_cpumask_first: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_copy, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();
	u32 first;

	if (!mask)
		return 0;
	bpf_cpumask_copy(mask, task->cpus_ptr);
	first = bpf_cpumask_first((const struct cpumask *)mask);
	bpf_cpumask_release(mask);
	return first;
}

char LICENSE[] SEC("license") = "GPL";

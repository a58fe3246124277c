/* the same bpf_cpumask released twice: reject "R1 type=scalar expected=fp"; 6.18.44-fc-v1272: reject "R1 must be referenced or trusted" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_double_release, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();

	if (!mask)
		return 0;
	bpf_cpumask_release(mask);
	bpf_cpumask_release(mask);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

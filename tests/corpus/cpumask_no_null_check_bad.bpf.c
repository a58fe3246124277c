/* bpf_cpumask_set_cpu on bpf_cpumask_create result without a NULL check: reject "Possibly NULL pointer passed to trusted arg1" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_no_null_check, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();

	bpf_cpumask_set_cpu(0, mask);
	if (mask)
		bpf_cpumask_release(mask);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

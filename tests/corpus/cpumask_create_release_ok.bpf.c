/* bpf_cpumask_create, set/test a cpu, release: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_create_release, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();
	bool set;

	if (!mask)
		return 0;
	bpf_cpumask_set_cpu(0, mask);
	set = bpf_cpumask_test_cpu(0, (const struct cpumask *)mask);
	bpf_cpumask_release(mask);
	return set;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_cpumask_acquire on a created mask gives a second reference; both released: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_acquire, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();
	struct bpf_cpumask *again;

	if (!mask)
		return 0;
	again = bpf_cpumask_acquire(mask);
	bpf_cpumask_release(mask);
	bpf_cpumask_setall(again);
	bpf_cpumask_release(again);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

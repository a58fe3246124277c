/* bpf_cpumask_test_cpu and bpf_cpumask_weight on the trusted task->cpus_ptr: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_task_cpus_ptr, struct task_struct *task, u64 clone_flags)
{
	if (bpf_cpumask_test_cpu(0, task->cpus_ptr))
		return bpf_cpumask_weight(task->cpus_ptr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

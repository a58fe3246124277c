/* bpf_cpumask_set_cpu wants a struct bpf_cpumask, not the task's struct cpumask: reject "expected pointer to STRUCT bpf_cpumask but R2 has a pointer to STRUCT cpumask" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cpumask_set_cpu_readonly_mask, struct task_struct *task, u64 clone_flags)
{
	bpf_cpumask_set_cpu(0, (struct bpf_cpumask *)task->cpus_ptr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

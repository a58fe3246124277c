/* bpf_preempt_enable without a disable: reject "unmatched attempt to enable preemption (kernel function bpf_preempt_enable)" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(preempt_unmatched_enable, struct task_struct *task, u64 clone_flags)
{
	bpf_preempt_enable();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

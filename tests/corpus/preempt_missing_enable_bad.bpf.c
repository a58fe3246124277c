/* exit with preemption still disabled: reject "BPF_EXIT instruction in main prog cannot be used inside bpf_preempt_disable-ed region" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(preempt_missing_enable, struct task_struct *task, u64 clone_flags)
{
	bpf_preempt_disable();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

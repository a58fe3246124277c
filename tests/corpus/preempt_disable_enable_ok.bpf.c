/* balanced bpf_preempt_disable/enable: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(preempt_disable_enable, struct task_struct *task, u64 clone_flags)
{
	bpf_preempt_disable();
	bpf_preempt_enable();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

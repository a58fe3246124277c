/* tp_btf/sched_switch walks its next task argument (trusted BTF pointer) to pid and comm: accept */
#include "corpus.h"

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_sched_switch_next_pid, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	if (next->comm[0] == 0)
		return 0;
	return next->pid & 1;
}

char LICENSE[] SEC("license") = "GPL";

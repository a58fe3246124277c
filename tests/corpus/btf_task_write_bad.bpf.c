/* tp_btf/sched_switch writing next->prio through the BTF pointer (tracing pointers are read-only): reject "only read is supported" */
#include "corpus.h"

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_task_write, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (next->prio < 100)	/* boost "everyone else" */
		next->prio = 100;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

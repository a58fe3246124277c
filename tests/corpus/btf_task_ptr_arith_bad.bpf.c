/* pointer arithmetic moving a trusted task pointer by a packet-derived amount is not allowed: reject "R6 is ptr_task_struct invalid variable offset" */
#include "corpus.h"

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_task_ptr_arith, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	u64 off = bpf_get_prandom_u32() & 0xff;

	return *(int *)((char *)next + off);
}

char LICENSE[] SEC("license") = "GPL";

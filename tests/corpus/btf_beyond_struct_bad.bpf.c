/* reading 8 bytes right after the end of struct task_struct through a BTF pointer: reject "access beyond struct task_struct" */
#include "corpus.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(btf_beyond_struct, struct task_struct *parent, struct task_struct *child)
{
	/* the "next task" in an array of tasks that does not exist */
	struct task_struct *after = parent + 1;

	return *(volatile u64 *)after != 0;
}

char LICENSE[] SEC("license") = "GPL";

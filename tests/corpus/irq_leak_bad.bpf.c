/* exit with interrupts still saved: reject "BPF_EXIT instruction in main prog cannot be used inside bpf_local_irq_save-ed region" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(irq_leak, struct task_struct *task, u64 clone_flags)
{
	unsigned long flags;

	bpf_local_irq_save(&flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_local_irq_save then bpf_local_irq_restore with a stack flag: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(irq_save_restore, struct task_struct *task, u64 clone_flags)
{
	unsigned long flags;

	bpf_local_irq_save(&flags);
	bpf_local_irq_restore(&flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

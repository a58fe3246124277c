/* bpf_local_irq_save into a flag slot that is already live: reject "expected uninitialized irq flag as arg#0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(irq_double_save, struct task_struct *task, u64 clone_flags)
{
	unsigned long flags;

	bpf_local_irq_save(&flags);
	bpf_local_irq_save(&flags);
	bpf_local_irq_restore(&flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

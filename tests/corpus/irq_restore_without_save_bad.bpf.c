/* bpf_local_irq_restore of a flag that was never saved: reject "expected an initialized irq flag as arg#0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(irq_restore_without_save, struct task_struct *task, u64 clone_flags)
{
	unsigned long flags = 0;

	bpf_local_irq_restore(&flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

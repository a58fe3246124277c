/* two irq flags restored in the order they were saved (not LIFO): reject "cannot restore irq state out of order" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(irq_out_of_order, struct task_struct *task, u64 clone_flags)
{
	unsigned long outer, inner;

	bpf_local_irq_save(&outer);
	bpf_local_irq_save(&inner);
	bpf_local_irq_restore(&outer);
	bpf_local_irq_restore(&inner);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* two irq flags restored in LIFO order: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(irq_nested_lifo, struct task_struct *task, u64 clone_flags)
{
	unsigned long outer, inner;

	bpf_local_irq_save(&outer);
	bpf_local_irq_save(&inner);
	bpf_local_irq_restore(&inner);
	bpf_local_irq_restore(&outer);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* the irq flag lives in a global instead of the stack: reject "arg#0 doesn't point to an irq flag on stack" */
#include "corpus.h"

unsigned long global_flags;

SEC("tp_btf/task_newtask")
int BPF_PROG(irq_flag_global, struct task_struct *task, u64 clone_flags)
{
	bpf_local_irq_save(&global_flags);
	bpf_local_irq_restore(&global_flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

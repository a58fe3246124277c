/* bpf_rdonly_cast with a type id that is not a constant (btf_id__k): reject "R2 must be a known constant" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rdonly_cast_nonconst_id, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_rdonly_cast(task, (u32)clone_flags);

	return t->pid;
}

char LICENSE[] SEC("license") = "GPL";

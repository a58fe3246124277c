/* bpf_rdonly_cast of a scalar address to struct task_struct, then a field read: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rdonly_cast, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_rdonly_cast((void *)clone_flags,
					       bpf_core_type_id_kernel(struct task_struct));

	return t->pid;
}

char LICENSE[] SEC("license") = "GPL";

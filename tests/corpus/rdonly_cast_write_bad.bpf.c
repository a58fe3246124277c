/* writing through a bpf_rdonly_cast pointer: reject "only read is supported" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rdonly_cast_write, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_rdonly_cast(task, bpf_core_type_id_kernel(struct task_struct));

	t->pid = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

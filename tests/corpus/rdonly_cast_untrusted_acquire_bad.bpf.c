/* a bpf_rdonly_cast (untrusted) task passed to bpf_task_acquire: reject "R1 must be a rcu pointer" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rdonly_cast_untrusted_acquire, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_rdonly_cast(task, bpf_core_type_id_kernel(struct task_struct));
	struct task_struct *p = bpf_task_acquire(t);

	if (p)
		bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

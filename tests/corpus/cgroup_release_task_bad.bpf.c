/* a task_struct passed to bpf_cgroup_release: reject "expected pointer to STRUCT cgroup but R1 has a pointer to STRUCT task_struct" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cgroup_release_task, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task);

	if (!p)
		return 0;
	bpf_cgroup_release((struct cgroup *)p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

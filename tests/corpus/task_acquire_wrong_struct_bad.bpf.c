/* passing a trusted struct cgroup pointer where bpf_task_acquire expects a task_struct: reject "expected pointer to STRUCT task_struct but R1 has a pointer to STRUCT cgroup" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_acquire_wrong_struct, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);
	struct task_struct *p;

	if (!cgrp)
		return 0;
	p = bpf_task_acquire((struct task_struct *)cgrp);
	if (p)
		bpf_task_release(p);
	bpf_cgroup_release(cgrp);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

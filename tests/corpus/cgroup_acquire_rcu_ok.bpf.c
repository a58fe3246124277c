/* bpf_cgroup_acquire of the RCU-protected task->cgroups->dfl_cgrp, released: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cgroup_acquire_rcu, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_acquire(task->cgroups->dfl_cgrp);

	if (!cgrp)
		return 0;
	bpf_cgroup_release(cgrp);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

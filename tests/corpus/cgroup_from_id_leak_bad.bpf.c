/* bpf_cgroup_from_id without bpf_cgroup_release leaks a reference: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cgroup_from_id_leak, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);

	if (!cgrp)
		return 0;
	return cgrp->level;
}

char LICENSE[] SEC("license") = "GPL";

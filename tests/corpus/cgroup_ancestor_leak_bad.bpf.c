/* the cgroup returned by bpf_cgroup_ancestor (KF_ACQUIRE) is never released: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cgroup_ancestor_leak, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);
	struct cgroup *anc;

	if (!cgrp)
		return 0;
	anc = bpf_cgroup_ancestor(cgrp, 0);
	bpf_cgroup_release(cgrp);
	return anc != 0;
}

char LICENSE[] SEC("license") = "GPL";

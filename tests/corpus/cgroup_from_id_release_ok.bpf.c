/* bpf_cgroup_from_id result NULL-checked, read and released: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cgroup_from_id_release, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);
	int level;

	if (!cgrp)
		return 0;
	level = cgrp->level;
	bpf_cgroup_release(cgrp);
	return level;
}

char LICENSE[] SEC("license") = "GPL";

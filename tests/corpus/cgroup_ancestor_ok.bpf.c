/* bpf_cgroup_ancestor of an acquired cgroup, both released: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cgroup_ancestor, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);
	struct cgroup *anc;

	if (!cgrp)
		return 0;
	anc = bpf_cgroup_ancestor(cgrp, 0);
	if (anc)
		bpf_cgroup_release(anc);
	bpf_cgroup_release(cgrp);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

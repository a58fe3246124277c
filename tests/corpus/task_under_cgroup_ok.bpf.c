/* bpf_task_under_cgroup with a trusted task and an acquired cgroup: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_under_cgroup, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);
	long under;

	if (!cgrp)
		return 0;
	under = bpf_task_under_cgroup(task, cgrp);
	bpf_cgroup_release(cgrp);
	return under;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_cgroup_from_id result released without a NULL check: reject "Possibly NULL pointer passed to trusted arg0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(cgroup_from_id_no_null_check, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);

	bpf_cgroup_release(cgrp);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

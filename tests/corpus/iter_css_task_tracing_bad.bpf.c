/* bpf_iter_css_task in a non-sleepable tracing program: reject "css_task_iter is only allowed in bpf_lsm, bpf_iter and sleepable progs" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_css_task_tracing, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *root = bpf_cgroup_from_id(1);
	struct bpf_iter_css_task it;
	struct task_struct *pos;

	if (!root)
		return 0;
	bpf_iter_css_task_new(&it, &root->self, 1);
	pos = bpf_iter_css_task_next(&it);
	bpf_iter_css_task_destroy(&it);
	bpf_cgroup_release(root);
	return pos != 0;
}

char LICENSE[] SEC("license") = "GPL";

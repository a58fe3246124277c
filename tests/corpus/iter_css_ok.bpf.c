/* bpf_iter_css over the descendants of the root cgroup's css: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_css, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *root = bpf_cgroup_from_id(1);
	struct bpf_iter_css it;
	struct cgroup_subsys_state *pos;
	int n = 0;

	if (!root)
		return 0;
	bpf_iter_css_new(&it, &root->self, BPF_CGROUP_ITER_DESCENDANTS_PRE);
	while ((pos = bpf_iter_css_next(&it)) && n < 100)
		n++;
	bpf_iter_css_destroy(&it);
	bpf_cgroup_release(root);
	return n;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_iter_css_task in a sleepable syscall program: accept */
#include "corpus.h"

SEC("syscall")
int iter_css_task_sleepable(void *ctx)
{
	struct cgroup *root = bpf_cgroup_from_id(1);
	struct bpf_iter_css_task it;
	struct task_struct *pos;
	int n = 0;

	if (!root)
		return 0;
	bpf_iter_css_task_new(&it, &root->self, 1);
	while ((pos = bpf_iter_css_task_next(&it)) && n < 100)
		n++;
	bpf_iter_css_task_destroy(&it);
	bpf_cgroup_release(root);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

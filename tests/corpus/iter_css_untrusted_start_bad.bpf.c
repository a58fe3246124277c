/* bpf_iter_css_new from an untrusted (walked) css pointer: reject "R2 must be referenced or trusted" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_css_untrusted_start, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_css it;
	struct cgroup_subsys_state *pos;

	bpf_iter_css_new(&it, task->cgroups->subsys[0]->parent, BPF_CGROUP_ITER_DESCENDANTS_PRE);
	pos = bpf_iter_css_next(&it);
	bpf_iter_css_destroy(&it);
	return pos != 0;
}

char LICENSE[] SEC("license") = "GPL";

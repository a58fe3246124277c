/* bpf_iter_num_next after bpf_iter_num_destroy: reject "expected an initialized iter_num as arg #0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num_use_after_destroy, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_num it;
	int *v;

	bpf_iter_num_new(&it, 0, 10);
	bpf_iter_num_destroy(&it);
	v = bpf_iter_num_next(&it);
	return v ? *v : 0;
}

char LICENSE[] SEC("license") = "GPL";

/* dereferencing bpf_iter_num_next's result without a NULL check (the drained path, R0=0, is explored first): reject "R0 invalid mem access 'scalar'" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num_deref_no_check, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_num it;
	int *v, x;

	bpf_iter_num_new(&it, 0, 10);
	v = bpf_iter_num_next(&it);
	x = *v;
	bpf_iter_num_destroy(&it);
	return x;
}

char LICENSE[] SEC("license") = "GPL";

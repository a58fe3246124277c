/* bpf_iter_num_next on an iterator that was never created: reject "expected an initialized iter_num as arg #0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num_next_uninit, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_num it;
	int *v;

	__builtin_memset(&it, 0, sizeof(it));
	v = bpf_iter_num_next(&it);
	return v ? *v : 0;
}

char LICENSE[] SEC("license") = "GPL";

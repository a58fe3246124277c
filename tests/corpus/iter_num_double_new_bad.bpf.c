/* bpf_iter_num_new on an iterator that is already live: reject "expected uninitialized iter_num as arg #0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num_double_new, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_num it;

	bpf_iter_num_new(&it, 0, 10);
	bpf_iter_num_new(&it, 0, 5);
	bpf_iter_num_destroy(&it);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

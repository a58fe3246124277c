/* open-coded bpf_iter_num new/next/destroy summing 0..9: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_num it;
	int *v, sum = 0;

	bpf_iter_num_new(&it, 0, 10);
	while ((v = bpf_iter_num_next(&it)))
		sum += *v;
	bpf_iter_num_destroy(&it);
	return sum;
}

char LICENSE[] SEC("license") = "GPL";

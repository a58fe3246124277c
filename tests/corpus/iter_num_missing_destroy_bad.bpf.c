/* bpf_iter_num iterator never destroyed: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num_missing_destroy, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_num it;
	int *v, sum = 0;

	bpf_iter_num_new(&it, 0, 10);
	while ((v = bpf_iter_num_next(&it)))
		sum += *v;
	return sum;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_iter_bits never destroyed: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_bits_missing_destroy, struct task_struct *task, u64 clone_flags)
{
	u64 word = clone_flags;
	struct bpf_iter_bits it;
	int *bit, n = 0;

	bpf_iter_bits_new(&it, &word, 1);
	while ((bit = bpf_iter_bits_next(&it)))
		n++;
	return n;
}

char LICENSE[] SEC("license") = "GPL";

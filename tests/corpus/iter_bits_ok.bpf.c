/* bpf_iter_bits over a stack word, counting set bits: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_bits, struct task_struct *task, u64 clone_flags)
{
	u64 word = clone_flags;
	struct bpf_iter_bits it;
	int *bit, n = 0;

	bpf_iter_bits_new(&it, &word, 1);
	while ((bit = bpf_iter_bits_next(&it)))
		n++;
	bpf_iter_bits_destroy(&it);
	return n;
}

char LICENSE[] SEC("license") = "GPL";

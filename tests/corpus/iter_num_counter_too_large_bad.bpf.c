/* a bpf_iter_num loop over 0..1000 adding 3 to a counter while it is below 300000 (a counter compared with a constant: the kernel iterates on): reject "BPF program is too large. Processed 1000001 insn" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num_counter_too_large, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_num it;
	int n = 0;
	int *v;

	bpf_iter_num_new(&it, 0, 1000);
	while ((v = bpf_iter_num_next(&it))) {
		if (n < 300000)
			n += 3;
	}
	bpf_iter_num_destroy(&it);
	return n;
}

char LICENSE[] SEC("license") = "GPL";

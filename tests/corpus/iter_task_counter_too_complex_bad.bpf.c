/* a bpf_iter_task loop counting to 200000 in a tp_btf program (the counter is compared with a constant each iteration, so the kernel iterates on): reject "The sequence of 8193 jumps is too complex." */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_task_counter_too_complex, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_task it;
	struct task_struct *pos;
	int n = 0;

	bpf_iter_task_new(&it, NULL, BPF_TASK_ITER_ALL_PROCS);
	while ((pos = bpf_iter_task_next(&it)) && n < 200000)
		n++;
	bpf_iter_task_destroy(&it);
	return n;
}

char LICENSE[] SEC("license") = "GPL";

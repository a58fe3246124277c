/* bpf_iter_task over all processes in a tracing program (implicit RCU): accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_task, struct task_struct *task, u64 clone_flags)
{
	struct bpf_iter_task it;
	struct task_struct *pos;
	int n = 0;

	bpf_iter_task_new(&it, NULL, BPF_TASK_ITER_ALL_PROCS);
	while ((pos = bpf_iter_task_next(&it)) && n < 100)
		n++;
	bpf_iter_task_destroy(&it);
	return n;
}

char LICENSE[] SEC("license") = "GPL";

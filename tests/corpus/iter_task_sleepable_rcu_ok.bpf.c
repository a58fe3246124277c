/* bpf_iter_task in a sleepable program inside bpf_rcu_read_lock: accept */
#include "corpus.h"

SEC("syscall")
int iter_task_sleepable_rcu(void *ctx)
{
	struct bpf_iter_task it;
	struct task_struct *pos;
	int n = 0;

	bpf_rcu_read_lock();
	bpf_iter_task_new(&it, NULL, BPF_TASK_ITER_ALL_PROCS);
	while ((pos = bpf_iter_task_next(&it)) && n < 100)
		n++;
	bpf_iter_task_destroy(&it);
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

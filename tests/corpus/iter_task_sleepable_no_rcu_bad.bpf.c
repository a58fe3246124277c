/* bpf_iter_task_new (KF_RCU_PROTECTED) in a sleepable program without bpf_rcu_read_lock: reject "kernel func bpf_iter_task_new requires RCU critical section protection" */
#include "corpus.h"

SEC("syscall")
int iter_task_sleepable_no_rcu(void *ctx)
{
	struct bpf_iter_task it;
	struct task_struct *pos;

	bpf_iter_task_new(&it, NULL, BPF_TASK_ITER_ALL_PROCS);
	pos = bpf_iter_task_next(&it);
	bpf_iter_task_destroy(&it);
	return pos != 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_task_acquire result (KF_RET_NULL) released without a NULL check: reject "Possibly NULL pointer passed to trusted arg0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_acquire_no_null_check, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_acquire(task);

	bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

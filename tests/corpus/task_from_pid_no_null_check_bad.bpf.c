/* bpf_task_from_pid result released without a NULL check: reject "Possibly NULL pointer passed to trusted arg0" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_from_pid_no_null_check, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p = bpf_task_from_pid(1);

	bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_copy_from_user_task_str with the current task in a sleepable program: accept */
#include "corpus.h"

SEC("syscall")
int sleepable_copy_task_str(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	char buf[32];

	return bpf_copy_from_user_task_str(buf, sizeof(buf), ctx, task, 0);
}

char LICENSE[] SEC("license") = "GPL";

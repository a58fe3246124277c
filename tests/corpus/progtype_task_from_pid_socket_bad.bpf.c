/* bpf_task_from_pid (generic set) in a socket filter: reject "calling kernel function bpf_task_from_pid is not allowed" */
#include "corpus.h"

SEC("socket")
int progtype_task_from_pid_socket(struct __sk_buff *skb)
{
	struct task_struct *p = bpf_task_from_pid(1);

	if (p)
		bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

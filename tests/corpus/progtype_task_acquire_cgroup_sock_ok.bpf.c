/* bpf_task_acquire in a cgroup/sock_create program (the CGROUP hook it shares with cgroup_skb carries the generic set): accept */
#include "corpus.h"

SEC("cgroup/sock_create")
int progtype_task_acquire_cgroup_sock(struct bpf_sock *sk)
{
	struct task_struct *p = bpf_task_acquire(bpf_get_current_task_btf());

	if (p)
		bpf_task_release(p);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_copy_from_user_str inside bpf_rcu_read_lock in a sleepable program: reject "kernel func bpf_copy_from_user_str is sleepable within rcu_read_lock region" */
#include "corpus.h"

SEC("syscall")
int sleepable_kfunc_in_rcu(void *ctx)
{
	char buf[32];
	int ret;

	bpf_rcu_read_lock();
	ret = bpf_copy_from_user_str(buf, sizeof(buf), ctx, 0);
	bpf_rcu_read_unlock();
	return ret;
}

char LICENSE[] SEC("license") = "GPL";

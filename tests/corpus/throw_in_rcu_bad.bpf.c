/* bpf_throw inside a bpf_rcu_read_lock region: reject "bpf_throw cannot be used inside bpf_rcu_read_lock-ed region" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(throw_in_rcu, struct task_struct *task, u64 clone_flags)
{
	bpf_rcu_read_lock();
	if (clone_flags & 1)
		bpf_throw(0);
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

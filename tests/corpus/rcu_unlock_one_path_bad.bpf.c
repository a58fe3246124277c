/* bpf_rcu_read_unlock only on one branch, so the other exits locked: reject "BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed region" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_unlock_one_path, struct task_struct *task, u64 clone_flags)
{
	bpf_rcu_read_lock();
	if (clone_flags & 1)
		return 1;
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

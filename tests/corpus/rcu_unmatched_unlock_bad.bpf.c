/* bpf_rcu_read_unlock without a lock: reject "unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_unmatched_unlock, struct task_struct *task, u64 clone_flags)
{
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* nested bpf_rcu_read_lock (not supported by this kernel): reject "nested rcu read lock (kernel function bpf_rcu_read_lock)" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_nested_lock, struct task_struct *task, u64 clone_flags)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

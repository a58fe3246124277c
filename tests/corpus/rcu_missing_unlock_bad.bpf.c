/* exit while still inside bpf_rcu_read_lock: reject "BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed region" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_missing_unlock, struct task_struct *task, u64 clone_flags)
{
	bpf_rcu_read_lock();
	return task->real_parent->tgid;
}

char LICENSE[] SEC("license") = "GPL";

/* balanced bpf_rcu_read_lock/unlock around reading task->real_parent: accept */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_lock_unlock, struct task_struct *task, u64 clone_flags)
{
	int ppid;

	bpf_rcu_read_lock();
	ppid = task->real_parent->tgid;
	bpf_rcu_read_unlock();
	return ppid;
}

char LICENSE[] SEC("license") = "GPL";

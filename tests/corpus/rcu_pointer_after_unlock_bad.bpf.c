/* an RCU pointer loaded inside the region is used by a KF_RCU kfunc after bpf_rcu_read_unlock: reject "R1 must be a rcu pointer" */
#include "corpus.h"

SEC("syscall")
int rcu_pointer_after_unlock(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_struct *parent, *ref;

	bpf_rcu_read_lock();
	parent = task->real_parent;
	bpf_rcu_read_unlock();
	ref = bpf_task_acquire(parent);
	if (ref)
		bpf_task_release(ref);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

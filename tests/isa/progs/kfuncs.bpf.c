#include "isa.h"

struct task_struct;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern const int bpf_prog_active __ksym;

SEC("tp_btf/sched_switch")
int kfunc_calls(u64 *ctx)
{
	struct task_struct *t = (struct task_struct *)ctx[1];
	bpf_rcu_read_lock();
	t = bpf_task_acquire(t);
	if (t)
		bpf_task_release(t);
	bpf_rcu_read_unlock();
	return bpf_prog_active;
}

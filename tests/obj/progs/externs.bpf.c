/* .kconfig and .ksyms externs: kfuncs (strong and weak), typed and typeless ksym variables. */
#include "common.h"

struct task_struct;

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern const int bpf_prog_active __ksym;
extern const void init_task __ksym;
extern const void no_such_symbol __ksym __weak;

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern int bpf_missing_kfunc(int x) __ksym __weak;

SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx)
{
	struct task_struct *t = (void *)ctx[1];
	struct task_struct *got;

	if (LINUX_KERNEL_VERSION < 0x050000 || !CONFIG_BPF_SYSCALL)
		return 0;
	bpf_rcu_read_lock();
	got = bpf_task_acquire(t);
	if (got)
		bpf_task_release(got);
	bpf_rcu_read_unlock();
	if (bpf_missing_kfunc)
		bpf_missing_kfunc(CONFIG_HZ);
	return (long)&init_task + (long)&no_such_symbol + (long)&bpf_prog_active > 0;
}

char _license[] SEC("license") = "GPL";

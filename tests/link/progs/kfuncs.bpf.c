/* kfunc calls, typed ksyms, weak externs and .kconfig values. */
#include "link.h"

/* A definition, not a forward declaration: libbpf finds FWD and STRUCT incompatible. */
struct task_struct {
	int pid;
};

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern int CONFIG_KFCHECK_NOT_A_CONFIG __kconfig __weak;
extern const int bpf_prog_active __ksym;

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
extern int bpf_kfcheck_missing_kfunc(int x) __ksym __weak;

__u64 seen[4];

SEC("tp_btf/sched_switch")
int kfunc_ok(__u64 *ctx)
{
	struct task_struct *t = (void *)ctx[1];
	struct task_struct *got;

	if (LINUX_KERNEL_VERSION < 0x050000 || !CONFIG_BPF_SYSCALL)
		return 0;
	seen[0] = CONFIG_HZ;
	seen[1] = CONFIG_KFCHECK_NOT_A_CONFIG;
	bpf_rcu_read_lock();
	got = bpf_task_acquire(t);
	if (got)
		bpf_task_release(got);
	bpf_rcu_read_unlock();
	if (bpf_kfcheck_missing_kfunc)
		seen[3] = bpf_kfcheck_missing_kfunc(1);
	return 0;
}

SEC("tp_btf/sched_switch")
int kfunc_leak(__u64 *ctx)
{
	struct task_struct *got = bpf_task_from_pid(1);

	if (got)
		seen[0] = 1; /* the reference is never released */
	return 0;
}

/* Typed ksym: linked as ld_imm64 BTF_ID; this kernel has no address for it (no
 * CONFIG_KALLSYMS_ALL), so the kernel rejects the load. */
SEC("tp_btf/sched_switch")
int ksym_var(__u64 *ctx)
{
	int *active = bpf_this_cpu_ptr(&bpf_prog_active);

	seen[2] = *active;
	return 0;
}

char _license[] SEC("license") = "GPL";

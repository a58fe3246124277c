/* pointers read from kernel BTF pointers (tests/verifier/test_kptr.py): a char * member is
 * read-only untrusted memory, an untrusted pointer may be NULL. Each program's kernel verdict is
 * in the test and checked against the running kernel. */
#include "corpus.h"
#include "realistic.h"

/* a char * member read from a BTF pointer: read-only untrusted memory (probe reads) */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(filename_str, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	char buf[32];

	return bpf_probe_read_kernel_str(buf, sizeof(buf), bprm->filename);
}

/* loads through it, at any offset: accept */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(filename_load, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	const char *f = bprm->filename;

	return f[0] + f[100] + *(const volatile long *)(f + 4000);
}

/* a store through it: reject */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(filename_store, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	char *f = (char *)bprm->filename;

	f[0] = 0;
	return 0;
}

/* compared with NULL: is the NULL branch explored? */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(filename_null, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	const char *f = bprm->filename;

	if (!f)
		return *(volatile int *)(long)bpf_get_prandom_u32();
	return f[0];
}

/* passed as read-only memory to a helper: reject */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(filename_helper_mem, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	char buf[8] = {};

	bpf_probe_read_kernel(buf, sizeof(buf), bprm->filename);
	return bpf_strncmp(bprm->filename, 4, "/bin");
}

/* an untrusted BTF pointer compared with NULL: both branches explored */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(untrusted_null, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct file *f = bprm->file;
	struct inode *i;

	if (!f)
		return 0;
	i = f->f_inode;
	if (!i)
		return *(volatile int *)(long)bpf_get_prandom_u32();
	return i->i_mode;
}

/* a pointer walked from an RCU pointer compared with NULL */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(rcu_walk_null, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct mm_struct *mm = p->mm;
	struct file *f;

	if (!mm)
		return 0;
	f = mm->exe_file;
	if (!f)
		return *(volatile int *)(long)bpf_get_prandom_u32();
	return f->f_flags;
}

/* a pointer walked twice from the program's argument compared with NULL */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(walk2_null, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct file *f = bprm->file;
	struct dentry *d;

	if (!f)
		return 0;
	d = f->f_path.dentry;
	if (!d)
		return *(volatile int *)(long)bpf_get_prandom_u32();
	return d->d_flags;
}

/* a variable and a negative offset added: accept */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(filename_var_off, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	const char *f = bprm->filename;
	const char *g = f + (bpf_get_prandom_u32() & 0xff);

	return *g + *(const volatile char *)(f - 8);
}

/* two pointers to read-only untrusted memory compared: accept */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(filename_compare, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return bprm->filename == bprm->interp;
}

char LICENSE[] SEC("license") = "GPL";

/* Realistic tracing programs in the style of real projects (BTF pointer walks, probe reads,
 * local storage, kptrs in maps, kfuncs, RCU, iterators, global data, subprograms), some with
 * deliberate bugs (tests/verifier/test_realistic.py holds each program's kernel verdict). */
#include "corpus.h"
#include "realistic.h"

#define TASK_COMM_LEN 16

struct proc_info {
	__u32 pid;
	__u32 ppid;
	__u64 start_ns;
	char comm[TASK_COMM_LEN];
};

struct task_ctx {
	__u64 switches;
	__u64 last_ns;
};

struct kptr_holder {
	struct task_struct __kptr *task;
	struct bpf_cpumask __kptr *mask;
	__u64 stamp;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct proc_info);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kptr_holder);
} holders SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 128);
	__type(key, __u32);
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[128]);
} strbuf SEC(".maps");

struct locked_val {
	struct bpf_spin_lock lock;
	__u64 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct locked_val);
} locked SEC(".maps");

const volatile __u32 target_tgid = 0;
const volatile bool verbose = false;
__u64 total_events = 0;
__u32 histogram[32] = {};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 64);
	__type(value, __u64);
} pid_queue SEC(".maps");

/* sched_switch: pids of both tasks through BTF pointers, per-task storage: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_ctx *tc;

	if (target_tgid && next->tgid != target_tgid)
		return 0;
	tc = bpf_task_storage_get(&task_store, next, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tc)
		return 0;
	tc->switches++;
	tc->last_ns = bpf_ktime_get_ns();
	__sync_fetch_and_add(&total_events, 1);
	return 0;
}

/* task storage written without its NULL check: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch_no_null, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_store, next, NULL, 0);

	tc->switches++;
	return 0;
}

/* fork: the parent's real_parent tgid, comm copied into a hash value: accept */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct proc_info info = {};
	__u32 pid = child->pid;

	info.pid = pid;
	info.ppid = parent->real_parent->tgid;
	info.start_ns = child->start_time;
	bpf_probe_read_kernel_str(info.comm, sizeof(info.comm), parent->comm);
	bpf_map_update_elem(&procs, &pid, &info, BPF_ANY);
	return 0;
}

/* writing a field of a BTF task pointer: reject */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork_write, struct task_struct *parent, struct task_struct *child)
{
	child->prio = 0;
	return 0;
}

/* exec: mm->arg_start through a BTF pointer walk, argv read with probe_read_user_str: accept */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&strbuf, &key);
	unsigned long arg;

	if (!buf)
		return 0;
	arg = p->mm->arg_start;
	bpf_probe_read_user_str(buf, 128, (void *)arg);
	if (verbose)
		bpf_printk("exec %s", buf);
	return 0;
}

/* a string read at a variable offset with the remaining length: reject (the largest offset
 * and the largest size are added) */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec_concat, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&strbuf, &key);
	long n;

	if (!buf)
		return 0;
	n = bpf_probe_read_kernel_str(buf, 64, bprm->filename);
	if (n <= 0 || n > 64)
		return 0;
	bpf_probe_read_kernel_str(buf + n, 128 - n, p->comm);
	return 0;
}

/* the same with a fixed size: accept (the returned length is at most its size) */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec_concat_bad, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&strbuf, &key);
	long n;

	if (!buf)
		return 0;
	n = bpf_probe_read_kernel_str(buf, 64, bprm->filename);
	if (n <= 0)
		return 0;
	bpf_probe_read_kernel_str(buf + n, 64, p->comm);
	return 0;
}

/* bpf_get_current_comm into a buffer smaller than the size passed: reject */
SEC("raw_tp/sys_enter")
int comm_too_small(void *ctx)
{
	char comm[8];

	bpf_get_current_comm(comm, 16);
	return comm[0];
}

/* raw_tp args: pt_regs pointer read with probe_read_kernel: accept */
SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_regs, struct pt_regs *regs, long id)
{
	unsigned long di = 0;

	if (id != 59)
		return 0;
	bpf_probe_read_kernel(&di, sizeof(di), &regs->di);
	histogram[di & 31]++;
	return 0;
}

/* a histogram slot picked by an unmasked value: reject */
SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_hist_bad, struct pt_regs *regs, long id)
{
	histogram[id]++;
	return 0;
}

/* histogram slot from a log2 of a duration, clamped: accept */
static __always_inline __u32 log2l(__u64 v)
{
	__u32 r = 0;

	while (v > 1 && r < 31) {
		v >>= 1;
		r++;
	}
	return r;
}

SEC("raw_tp/sys_exit")
int sys_exit_hist(void *ctx)
{
	__u64 d = bpf_ktime_get_ns() & 0xffffffff;

	histogram[log2l(d)]++;
	return 0;
}

/* a spin-locked map in a raw tracepoint: reject */
SEC("raw_tp/sys_exit")
int raw_tp_spin_lock(void *ctx)
{
	__u32 key = 0;
	struct locked_val *v = bpf_map_lookup_elem(&locked, &key);

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->n++;
	bpf_spin_unlock(&v->lock);
	return 0;
}

/* a spin-locked map in tp_btf: accept */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(tp_btf_spin_lock, struct task_struct *p)
{
	__u32 key = p->pid & 15;
	struct locked_val *v = bpf_map_lookup_elem(&locked, &key);

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->n++;
	bpf_spin_unlock(&v->lock);
	return 0;
}

/* user and kernel stacks into the stack map and a ringbuf record: accept */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(wakeup_stack, struct task_struct *p)
{
	struct proc_info *e;
	long id;

	id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = p->pid;
	e->ppid = id;
	e->start_ns = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* a stack trace copied into a stack buffer of the right size: accept */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(wakeup_get_stack, struct task_struct *p)
{
	__u64 ips[8];
	long n;

	n = bpf_get_stack(ctx, ips, sizeof(ips), 0);
	if (n < 8)
		return 0;
	return ips[0] == 0;
}

/* perf event output of a stack record: accept */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(wakeup_perf, struct task_struct *p)
{
	struct proc_info info = {};

	info.pid = p->pid;
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &info, sizeof(info));
	return 0;
}

/* bpf_task_acquire on the current task, kept in a map as a kptr: accept */
SEC("tp_btf/task_newtask")
int BPF_PROG(stash_task, struct task_struct *task, u64 clone_flags)
{
	__u32 key = 0;
	struct kptr_holder *h = bpf_map_lookup_elem(&holders, &key);
	struct task_struct *acq, *old;

	if (!h)
		return 0;
	acq = bpf_task_acquire(task);
	if (!acq)
		return 0;
	old = bpf_kptr_xchg(&h->task, acq);
	if (old)
		bpf_task_release(old);
	return 0;
}

/* the task taken out of the map never released: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(unstash_leak, struct task_struct *task, u64 clone_flags)
{
	__u32 key = 0;
	struct kptr_holder *h = bpf_map_lookup_elem(&holders, &key);
	struct task_struct *old;

	if (!h)
		return 0;
	old = bpf_kptr_xchg(&h->task, NULL);
	if (!old)
		return 0;
	return old->pid;
}

/* a kptr read directly under RCU: accept */
SEC("tp_btf/task_newtask")
int BPF_PROG(kptr_rcu_read, struct task_struct *task, u64 clone_flags)
{
	__u32 key = 0;
	struct kptr_holder *h = bpf_map_lookup_elem(&holders, &key);
	struct task_struct *t;
	int pid = 0;

	if (!h)
		return 0;
	bpf_rcu_read_lock();
	t = h->task;
	if (t)
		pid = t->pid;
	bpf_rcu_read_unlock();
	return pid;
}

/* a kptr field stored directly: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(kptr_store_direct, struct task_struct *task, u64 clone_flags)
{
	__u32 key = 0;
	struct kptr_holder *h = bpf_map_lookup_elem(&holders, &key);

	if (!h)
		return 0;
	h->task = task;
	return 0;
}

/* a new cpumask stashed in the map: accept */
SEC("tp_btf/task_newtask")
int BPF_PROG(stash_cpumask, struct task_struct *task, u64 clone_flags)
{
	__u32 key = 0;
	struct kptr_holder *h = bpf_map_lookup_elem(&holders, &key);
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = bpf_cpumask_create();
	if (!m)
		return 0;
	bpf_cpumask_set_cpu(0, m);
	bpf_cpumask_set_cpu(bpf_get_smp_processor_id(), m);
	m = bpf_kptr_xchg(&h->mask, m);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* the parent acquired under implicit RCU, released on every path: accept */
SEC("tp_btf/task_newtask")
int BPF_PROG(parent_acquire, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *parent = bpf_task_acquire(task->real_parent);
	int tgid;

	if (!parent)
		return 0;
	tgid = parent->tgid;
	bpf_task_release(parent);
	return tgid;
}

/* the parent acquired and not NULL-checked before release: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(parent_acquire_no_null, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *parent = bpf_task_acquire(task->real_parent);

	bpf_task_release(parent);
	return 0;
}

/* a task looked up by pid released twice: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(from_pid_double_release, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_from_pid(1);

	if (!t)
		return 0;
	bpf_task_release(t);
	bpf_task_release(t);
	return 0;
}

/* bpf_rcu_read_lock left held at exit: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_unbalanced, struct task_struct *task, u64 clone_flags)
{
	bpf_rcu_read_lock();
	if (task->pid == 1)
		return 0;
	bpf_rcu_read_unlock();
	return 0;
}

/* counting the threads of a process with the task iterator under RCU: accept */
SEC("syscall")
int count_threads(void *ctx)
{
	struct task_struct *leader, *pos;
	int n = 0;

	leader = bpf_task_from_pid(1);
	if (!leader)
		return 0;
	bpf_rcu_read_lock();
	bpf_for_each(task, pos, leader, BPF_TASK_ITER_PROC_THREADS)
		n++;
	bpf_rcu_read_unlock();
	bpf_task_release(leader);
	return n;
}

struct syscall_args {
	__u32 pid;
	__u32 nr;
	__u64 out;
};

/* a syscall program reading and writing its args: accept */
SEC("syscall")
int syscall_args_rw(struct syscall_args *args)
{
	struct task_struct *t = bpf_task_from_pid(args->pid);

	if (!t)
		return -1;
	args->out = t->start_time;
	bpf_task_release(t);
	return 0;
}

/* a num iterator never destroyed: reject */
SEC("syscall")
int iter_num_leak(void *ctx)
{
	struct bpf_iter_num it;
	int *v, sum = 0;

	bpf_iter_num_new(&it, 0, 10);
	while ((v = bpf_iter_num_next(&it)))
		sum += *v;
	return sum;
}

/* bpf_for over a global array with the index from the iterator: accept */
SEC("syscall")
int iter_global_array(void *ctx)
{
	int i, sum = 0;

	bpf_for(i, 0, 32)
		sum += histogram[i];
	return sum;
}

/* the length bpf_probe_read_kernel_str returns (at most its size) as an offset: accept */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_comm_concat, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&strbuf, &key);
	long n;

	if (!buf)
		return 0;
	n = bpf_probe_read_kernel_str(buf, 64, p->comm);
	if (n <= 0)
		return 0;
	bpf_probe_read_kernel_str(buf + n, 64, p->real_parent->comm);
	return 0;
}

/* the same with a second read one byte too long: reject */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_comm_concat_long, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&strbuf, &key);
	long n;

	if (!buf)
		return 0;
	n = bpf_probe_read_kernel_str(buf, 64, p->comm);
	if (n <= 0)
		return 0;
	bpf_probe_read_kernel_str(buf + n, 65, p->real_parent->comm);
	return 0;
}

/* pids queued and dequeued through a queue map: accept */
SEC("raw_tp/sys_enter")
int queue_pids(void *ctx)
{
	__u64 pid = bpf_get_current_pid_tgid() >> 32, old;

	if (bpf_map_push_elem(&pid_queue, &pid, BPF_EXIST))
		return 0;
	if (bpf_map_pop_elem(&pid_queue, &old))
		return 0;
	return old == pid;
}

/* a stack trace map read with bpf_map_lookup_elem: reject */
SEC("raw_tp/sys_enter")
int stack_map_lookup(void *ctx)
{
	__u32 id = 3;
	__u64 *ips = bpf_map_lookup_elem(&stacks, &id);

	return ips ? ips[0] != 0 : 0;
}

/* a sleepable program using a perf event array: reject */
SEC("syscall")
int sleepable_perf(void *ctx)
{
	struct proc_info info = {};

	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &info, sizeof(info));
	return 0;
}

/* bpf_strncmp against a writable global string: reject */
char wanted_comm[TASK_COMM_LEN] = "systemd";

SEC("raw_tp/sys_enter")
int strncmp_writable(void *ctx)
{
	char comm[TASK_COMM_LEN];

	bpf_get_current_comm(comm, sizeof(comm));
	return bpf_strncmp(comm, sizeof(comm), wanted_comm) == 0;
}

/* a global subprogram's result checked with 32-bit compares: reject (the 64-bit register
 * stays unbounded) */
__noinline int bucket(__u32 v)
{
	if (v >= 32)
		return 31;
	return v;
}

SEC("raw_tp/sys_enter")
int global_bucket(void *ctx)
{
	int b = bucket(bpf_get_prandom_u32());

	if (b < 0 || b >= 32)
		return 0;
	histogram[b]++;
	return 0;
}

/* the global subprogram's result trusted without a check: reject */
SEC("raw_tp/sys_enter")
int global_bucket_unchecked(void *ctx)
{
	int b = bucket(bpf_get_prandom_u32());

	histogram[b]++;
	return 0;
}

/* a static subprogram filling a struct through a stack pointer: accept */
static __noinline int fill_info(struct proc_info *info, struct task_struct *t)
{
	info->pid = t->pid;
	info->ppid = t->tgid;
	info->start_ns = t->start_time;
	return bpf_probe_read_kernel_str(info->comm, sizeof(info->comm), t->comm);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit_fill, struct task_struct *p)
{
	struct proc_info info = {};

	if (fill_info(&info, p) < 0)
		return 0;
	bpf_map_update_elem(&procs, &info.pid, &info, BPF_ANY);
	return 0;
}

/* bpf_snprintf into a stack buffer with a read-only format: accept */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_snprintf, struct task_struct *p)
{
	static const char fmt[] = "pid=%d comm=%s";
	char out[48];
	__u64 args[2];

	args[0] = p->pid;
	args[1] = (__u64)p->comm;
	bpf_snprintf(out, sizeof(out), fmt, args, sizeof(args));
	return out[0];
}

/* bpf_strncmp of the comm with a constant string: accept */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_strncmp, struct task_struct *p)
{
	char comm[TASK_COMM_LEN];
	static const char want[] = "bash";

	bpf_get_current_comm(comm, sizeof(comm));
	return bpf_strncmp(comm, sizeof(want), want) == 0;
}

/* bpf_for_each_map_elem summing the histogram-like hash: accept */
static long sum_procs(struct bpf_map *map, __u32 *key, struct proc_info *val, __u64 *sum)
{
	*sum += val->start_ns;
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_for_each, struct task_struct *p)
{
	__u64 sum = 0;

	bpf_for_each_map_elem(&procs, sum_procs, &sum, 0);
	return sum > 0;
}

/* a for_each callback writing the hash key: reject */
static long write_key(struct bpf_map *map, __u32 *key, struct proc_info *val, void *ctx)
{
	*key = 0;
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_for_each_bad, struct task_struct *p)
{
	bpf_for_each_map_elem(&procs, write_key, NULL, 0);
	return 0;
}

/* a bounded value through a volatile 32-bit stack slot: reject (the fill is unbounded) */
SEC("raw_tp/sys_enter")
int spill32_bounds(void *ctx)
{
	volatile __u32 slot;
	__u32 v = bpf_get_prandom_u32() & 31;

	slot = v;
	histogram[slot]++;
	return 0;
}

/* a pointer compared with NULL through a spilled copy: accept */
SEC("raw_tp/sys_enter")
int spill_map_ptr(void *ctx)
{
	__u32 key = 7;
	struct proc_info *volatile pi;

	pi = bpf_map_lookup_elem(&procs, &key);
	if (!pi)
		return 0;
	return pi->pid;
}
char LICENSE[] SEC("license") = "GPL";

/* Realistic kfunc-heavy programs (task/cgroup/cpumask kfuncs, allocated objects in lists and
 * rbtrees, refcounts, open-coded iterators, RCU, preemption and irq sections, res_spin_lock),
 * some with deliberate bugs (tests/verifier/test_realistic.py holds each kernel verdict). */
#include "corpus.h"
#include "realistic.h"

struct job {
	long prio;
	__u32 pid;
	struct bpf_list_node link;
};

struct timer_node {
	long deadline;
	struct bpf_rb_node rb;
	struct bpf_refcount ref;
};

struct job *job_anchor;
struct timer_node *timer_node_anchor;

private(Q) struct bpf_spin_lock q_lock;
private(Q) struct bpf_list_head q_head __contains(job, link);
private(T) struct bpf_spin_lock t_lock;
private(T) struct bpf_rb_root t_root __contains(timer_node, rb);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct res_val {
	struct bpf_res_spin_lock lock;
	__u64 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct res_val);
} res_arr SEC(".maps");

__u64 bits_words[4];
int target_pid;

/* look up a task by pid, read it, release it: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_from_pid, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t = bpf_task_from_pid(target_pid);
	__u32 key;
	__u64 one = 1;

	if (!t)
		return 0;
	key = t->tgid;
	bpf_map_update_elem(&counts, &key, &one, BPF_ANY);
	bpf_task_release(t);
	return 0;
}

/* task from pid without a NULL check: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_from_pid_nonull, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t = bpf_task_from_pid(target_pid);
	int pid = t->pid;

	bpf_task_release(t);
	return pid;
}

/* task from pid never released: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_from_pid_leak, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t = bpf_task_from_pid(target_pid);

	if (!t)
		return 0;
	return t->pid;
}

/* released then read: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_use_after_release, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t = bpf_task_acquire(next);

	if (!t)
		return 0;
	bpf_task_release(t);
	return t->pid;
}

/* acquire an untrusted pointer (a walked member): reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_acquire_walked, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t = bpf_task_acquire(next->group_leader);

	if (t)
		bpf_task_release(t);
	return 0;
}

/* walked real_parent under RCU is trusted: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_acquire_parent_rcu, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *p;

	bpf_rcu_read_lock();
	p = next->real_parent;
	if (p) {
		p = bpf_task_acquire(p);
		if (p)
			bpf_task_release(p);
	}
	bpf_rcu_read_unlock();
	return 0;
}

/* RCU pointer used after unlock: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_rcu_after_unlock, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *p;

	bpf_rcu_read_lock();
	p = next->real_parent;
	bpf_rcu_read_unlock();
	if (!p)
		return 0;
	p = bpf_task_acquire(p);
	if (p)
		bpf_task_release(p);
	return 0;
}

/* nested rcu unlock without lock: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_rcu_unlock_only, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	bpf_rcu_read_unlock();
	return 0;
}

/* cgroup by id, ancestor, release both: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_cgroup_ancestor, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct cgroup *c = bpf_cgroup_from_id(1), *a;
	int level = 0;

	if (!c)
		return 0;
	a = bpf_cgroup_ancestor(c, 1);
	if (a) {
		level = a->level;
		bpf_cgroup_release(a);
	}
	bpf_cgroup_release(c);
	return level;
}

/* ancestor leaked: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_cgroup_ancestor_leak, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct cgroup *c = bpf_cgroup_from_id(1), *a;

	if (!c)
		return 0;
	a = bpf_cgroup_ancestor(c, 1);
	bpf_cgroup_release(c);
	return a ? 1 : 0;
}

/* task under cgroup with the task's own cgroup walked: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_under_cgroup, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct cgroup *c = bpf_cgroup_from_id(1);
	long r;

	if (!c)
		return 0;
	r = bpf_task_under_cgroup(next, c);
	bpf_cgroup_release(c);
	return r ? 1 : 0;
}

/* release a cgroup pointer never acquired: reject */
SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(k_cgroup_release_arg, struct cgroup *cgrp, const char *path)
{
	bpf_cgroup_release(cgrp);
	return 0;
}

/* acquire the tracepoint's cgroup: accept */
SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(k_cgroup_acquire_arg, struct cgroup *cgrp, const char *path)
{
	struct cgroup *c = bpf_cgroup_acquire(cgrp);

	if (!c)
		return 0;
	bpf_cgroup_release(c);
	return 0;
}

/* cpumask build and query: accept */
SEC("tp_btf/task_newtask")
int BPF_PROG(k_cpumask_ops, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *m = bpf_cpumask_create(), *n;
	u32 w;

	if (!m)
		return 0;
	n = bpf_cpumask_create();
	if (!n) {
		bpf_cpumask_release(m);
		return 0;
	}
	bpf_cpumask_set_cpu(0, m);
	bpf_cpumask_setall(n);
	bpf_cpumask_and(m, (const struct cpumask *)m, (const struct cpumask *)n);
	w = bpf_cpumask_weight((const struct cpumask *)m);
	bpf_cpumask_copy(n, task->cpus_ptr);
	bpf_cpumask_release(n);
	bpf_cpumask_release(m);
	return w;
}

/* cpumask query after release: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(k_cpumask_after_release, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *m = bpf_cpumask_create();

	if (!m)
		return 0;
	bpf_cpumask_release(m);
	return bpf_cpumask_empty((const struct cpumask *)m);
}

/* cpumask not null-checked: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(k_cpumask_nonull, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *m = bpf_cpumask_create();

	bpf_cpumask_set_cpu(1, m);
	bpf_cpumask_release(m);
	return 0;
}

/* a stack buffer passed as a cpumask: reject */
SEC("tp_btf/task_newtask")
int BPF_PROG(k_cpumask_stack, struct task_struct *task, u64 clone_flags)
{
	__u64 buf[4] = {};

	return bpf_cpumask_first((const struct cpumask *)buf);
}

/* cpumask double acquire, both released: accept */
SEC("tp_btf/task_newtask")
int BPF_PROG(k_cpumask_acquire2, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *m = bpf_cpumask_create(), *m2;

	if (!m)
		return 0;
	m2 = bpf_cpumask_acquire(m);
	bpf_cpumask_release(m2);
	bpf_cpumask_release(m);
	return 0;
}

/* job queued on a global list: accept */
SEC("tc")
int k_list_enqueue(struct __sk_buff *skb)
{
	struct job *j = bpf_obj_new(struct job);

	if (!j)
		return 0;
	j->prio = skb->priority;
	j->pid = skb->mark;
	bpf_spin_lock(&q_lock);
	bpf_list_push_back(&q_head, &j->link);
	bpf_spin_unlock(&q_lock);
	return 0;
}

/* dequeue, read, drop: accept */
SEC("tc")
int k_list_dequeue(struct __sk_buff *skb)
{
	struct bpf_list_node *n;
	struct job *j;
	long prio;

	bpf_spin_lock(&q_lock);
	n = bpf_list_pop_front(&q_head);
	bpf_spin_unlock(&q_lock);
	if (!n)
		return 0;
	j = container_of(n, struct job, link);
	prio = j->prio;
	bpf_obj_drop(j);
	return prio;
}

/* push without the lock: reject */
SEC("tc")
int k_list_nolock(struct __sk_buff *skb)
{
	struct job *j = bpf_obj_new(struct job);

	if (!j)
		return 0;
	bpf_list_push_back(&q_head, &j->link);
	return 0;
}

/* node read after the push: reject (non-owning after unlock) */
SEC("tc")
int k_list_read_after_unlock(struct __sk_buff *skb)
{
	struct job *j = bpf_obj_new(struct job);

	if (!j)
		return 0;
	bpf_spin_lock(&q_lock);
	bpf_list_push_back(&q_head, &j->link);
	bpf_spin_unlock(&q_lock);
	return j->prio;
}

/* node read inside the lock after push: accept */
SEC("tc")
int k_list_read_in_lock(struct __sk_buff *skb)
{
	struct job *j = bpf_obj_new(struct job);
	long p;

	if (!j)
		return 0;
	bpf_spin_lock(&q_lock);
	bpf_list_push_back(&q_head, &j->link);
	p = j->prio;
	bpf_spin_unlock(&q_lock);
	return p;
}

/* popped node dropped inside the lock... then leaked? no: popped and never dropped: reject */
SEC("tc")
int k_list_pop_leak(struct __sk_buff *skb)
{
	struct bpf_list_node *n;

	bpf_spin_lock(&q_lock);
	n = bpf_list_pop_back(&q_head);
	bpf_spin_unlock(&q_lock);
	return n ? 1 : 0;
}

/* new object never freed: reject */
SEC("tc")
int k_obj_new_leak(struct __sk_buff *skb)
{
	struct job *j = bpf_obj_new(struct job);

	if (!j)
		return 0;
	j->prio = 1;
	return 0;
}

/* dropped twice: reject */
SEC("tc")
int k_obj_double_drop(struct __sk_buff *skb)
{
	struct job *j = bpf_obj_new(struct job);

	if (!j)
		return 0;
	bpf_obj_drop(j);
	bpf_obj_drop(j);
	return 0;
}

static bool timer_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct timer_node *x = container_of(a, struct timer_node, rb);
	struct timer_node *y = container_of(b, struct timer_node, rb);

	return x->deadline < y->deadline;
}

/* refcounted node: add to the tree, keep a second reference, drop it: accept */
SEC("tc")
int k_rbtree_refcount(struct __sk_buff *skb)
{
	struct timer_node *t = bpf_obj_new(struct timer_node), *t2;

	if (!t)
		return 0;
	t->deadline = skb->tstamp;
	t2 = bpf_refcount_acquire(t);
	bpf_spin_lock(&t_lock);
	bpf_rbtree_add(&t_root, &t->rb, timer_less);
	bpf_spin_unlock(&t_lock);
	if (t2)
		bpf_obj_drop(t2);
	return 0;
}

/* first + remove + drop: accept */
SEC("tc")
int k_rbtree_expire(struct __sk_buff *skb)
{
	struct bpf_rb_node *n;
	long d = 0;

	bpf_spin_lock(&t_lock);
	n = bpf_rbtree_first(&t_root);
	if (!n) {
		bpf_spin_unlock(&t_lock);
		return 0;
	}
	n = bpf_rbtree_remove(&t_root, n);
	bpf_spin_unlock(&t_lock);
	if (!n)
		return 0;
	d = container_of(n, struct timer_node, rb)->deadline;
	bpf_obj_drop(container_of(n, struct timer_node, rb));
	return d;
}

/* first outside the lock: reject */
SEC("tc")
int k_rbtree_first_nolock(struct __sk_buff *skb)
{
	struct bpf_rb_node *n = bpf_rbtree_first(&t_root);

	return n ? 1 : 0;
}

/* remove result never freed: reject */
SEC("tc")
int k_rbtree_remove_leak(struct __sk_buff *skb)
{
	struct bpf_rb_node *n;

	bpf_spin_lock(&t_lock);
	n = bpf_rbtree_first(&t_root);
	if (n)
		n = bpf_rbtree_remove(&t_root, n);
	bpf_spin_unlock(&t_lock);
	return n ? 1 : 0;
}

/* numeric iterator summing a global array: accept */
SEC("tc")
int k_iter_num_sum(struct __sk_buff *skb)
{
	int i;
	__u64 s = 0;

	bpf_for(i, 0, 4)
		s += bits_words[i];
	return s & 1;
}

/* bits iterator over a global bitmap: accept */
SEC("tc")
int k_iter_bits(struct __sk_buff *skb)
{
	int *bit;
	int n = 0;

	bpf_for_each(bits, bit, bits_words, 4)
		n += *bit;
	return n & 1;
}

/* bits iterator result not null-checked: reject */
SEC("tc")
int k_iter_bits_nonull(struct __sk_buff *skb)
{
	struct bpf_iter_bits it;
	int *bit, n;

	bpf_iter_bits_new(&it, bits_words, 4);
	bit = bpf_iter_bits_next(&it);
	n = *bit;
	bpf_iter_bits_destroy(&it);
	return n;
}

/* task iterator counting threads of all processes: accept */
SEC("syscall")
int k_iter_task_all(void *ctx)
{
	struct task_struct *t;
	int n = 0;

	bpf_rcu_read_lock();
	bpf_for_each(task, t, NULL, BPF_TASK_ITER_ALL_PROCS)
		n++;
	bpf_rcu_read_unlock();
	return n;
}

/* task iterator outside RCU: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(k_iter_task_norcu, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t;
	int n = 0;

	bpf_for_each(task, t, NULL, BPF_TASK_ITER_ALL_PROCS)
		n++;
	return n;
}

/* css iterator from the root cgroup of a looked-up cgroup: accept */
SEC("syscall")
int k_iter_css(void *ctx)
{
	struct cgroup *root = bpf_cgroup_from_id(1);
	struct cgroup_subsys_state *pos;
	int n = 0;

	if (!root)
		return 0;
	bpf_rcu_read_lock();
	bpf_for_each(css, pos, &root->self, BPF_CGROUP_ITER_DESCENDANTS_PRE)
		n++;
	bpf_rcu_read_unlock();
	bpf_cgroup_release(root);
	return n;
}

/* iterator destroyed twice: reject */
SEC("tc")
int k_iter_double_destroy(struct __sk_buff *skb)
{
	struct bpf_iter_num it;

	bpf_iter_num_new(&it, 0, 10);
	bpf_iter_num_destroy(&it);
	bpf_iter_num_destroy(&it);
	return 0;
}

/* preemption section balanced: accept */
SEC("tc")
int k_preempt_ok(struct __sk_buff *skb)
{
	__u32 key = skb->mark;
	__u64 *v;

	bpf_preempt_disable();
	v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		*v += 1;
	bpf_preempt_enable();
	return 0;
}

/* exit with preemption disabled: reject */
SEC("tc")
int k_preempt_leak(struct __sk_buff *skb)
{
	bpf_preempt_disable();
	if (skb->len > 100)
		return 1;
	bpf_preempt_enable();
	return 0;
}

/* irq save/restore balanced: accept */
SEC("tc")
int k_irq_ok(struct __sk_buff *skb)
{
	unsigned long flags;

	bpf_local_irq_save(&flags);
	bpf_local_irq_restore(&flags);
	return 0;
}

/* irq flags never restored: reject */
SEC("tc")
int k_irq_leak(struct __sk_buff *skb)
{
	unsigned long flags;

	bpf_local_irq_save(&flags);
	return 0;
}

/* res spin lock checked and released: accept */
SEC("tc")
int k_res_lock_ok(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct res_val *v = bpf_map_lookup_elem(&res_arr, &key);

	if (!v)
		return 0;
	if (bpf_res_spin_lock(&v->lock))
		return 0;
	v->n++;
	bpf_res_spin_unlock(&v->lock);
	return 0;
}

/* res spin lock result ignored, unlock on failure path too: reject */
SEC("tc")
int k_res_lock_unchecked(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct res_val *v = bpf_map_lookup_elem(&res_arr, &key);

	if (!v)
		return 0;
	bpf_res_spin_lock(&v->lock);
	v->n++;
	bpf_res_spin_unlock(&v->lock);
	return 0;
}

/* helper call while holding a res spin lock: reject */
SEC("tc")
int k_res_lock_helper(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct res_val *v = bpf_map_lookup_elem(&res_arr, &key);

	if (!v)
		return 0;
	if (bpf_res_spin_lock(&v->lock))
		return 0;
	v->n = bpf_ktime_get_ns();
	bpf_res_spin_unlock(&v->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

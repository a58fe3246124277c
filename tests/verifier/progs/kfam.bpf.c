/* kfunc families and argument kinds the corpus lacks (tests/verifier/test_kfunc_families.py):
 * trust of struct arguments, callbacks of kfuncs, map fields, exceptions, session cookies.
 * Each program's kernel verdict is in the test and checked against the running kernel. */
#include "corpus.h"
#include "kfuncs_families.h"

/* a scalar for a struct argument of an acquiring kfunc */
SEC("tp_btf/task_newtask")
int BPF_PROG(acquire_scalar, struct task_struct *task, u64 clone_flags)
{
	struct bpf_cpumask *m = (struct bpf_cpumask *)(long)bpf_get_prandom_u32();

	m = bpf_cpumask_acquire(m);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* a stack buffer for the argument of a releasing kfunc */
SEC("tp_btf/task_newtask")
int BPF_PROG(release_stack, struct task_struct *task, u64 clone_flags)
{
	u64 buf[3] = {};

	bpf_cpumask_release((struct bpf_cpumask *)buf);
	return 0;
}

/* a scalar for the argument of a KF_RCU kfunc */
SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_scalar, struct task_struct *task, u64 clone_flags)
{
	bpf_cpumask_setall((struct bpf_cpumask *)(long)bpf_get_prandom_u32());
	return 0;
}

/* a stack buffer too small for the argument of a KF_RCU kfunc: read before write */
SEC("tp_btf/task_newtask")
int BPF_PROG(rcu_stack, struct task_struct *task, u64 clone_flags)
{
	u64 buf[3] = {};

	bpf_cpumask_setall((struct bpf_cpumask *)buf);
	return buf[0];
}

struct rnode {
	long key;
	struct bpf_rb_node rb;
};

struct rnode *rnode_type_anchor;
/* BTF anchors: __sk_buff's pointer members, else clang orders them by path hashes */
struct bpf_sock *sock_type_anchor;
struct bpf_flow_keys *flow_keys_type_anchor;
private(K) struct bpf_spin_lock klock;
private(K) struct bpf_rb_root kroot __contains(rnode, rb);

static bool less_two(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return 2;
}

static bool less_unlock(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	bpf_spin_unlock(&klock);
	return 0;
}

static bool less_first(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return bpf_rbtree_first(&kroot) == 0;
}

static bool less_read(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct rnode *na = container_of(a, struct rnode, rb);

	return na->key > 5;
}

static __always_inline int add_with(struct __sk_buff *skb,
				    bool (*less)(struct bpf_rb_node *, const struct bpf_rb_node *))
{
	struct rnode *n = bpf_obj_new(struct rnode);

	if (!n)
		return 0;
	n->key = skb->len;
	bpf_spin_lock(&klock);
	bpf_rbtree_add(&kroot, &n->rb, less);
	bpf_spin_unlock(&klock);
	return 0;
}

/* the less callback returns 2, outside [0, 1] */
SEC("tc")
int rbtree_less_ret_two(struct __sk_buff *skb)
{
	return add_with(skb, less_two);
}

/* the less callback releases the tree's lock */
SEC("tc")
int rbtree_less_unlocks(struct __sk_buff *skb)
{
	return add_with(skb, less_unlock);
}

/* the less callback calls bpf_rbtree_first: allowed (it takes no node) */
SEC("tc")
int rbtree_less_first(struct __sk_buff *skb)
{
	return add_with(skb, less_first);
}

/* the less callback reads its node's key: accept */
SEC("tc")
int rbtree_less_reads(struct __sk_buff *skb)
{
	return add_with(skb, less_read);
}

struct wq_elem {
	long pad;
	struct bpf_wq work;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} kwq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, long);
} plain SEC(".maps");

static int wq_cb_value(void *map, int *key, void *value)
{
	struct wq_elem *e = value;

	e->pad = 1;
	return 0;
}

static int wq_cb_ptr(void *map, int *key, void *value)
{
	return (long)value == 0;
}

/* the wq callback writes the map value it is given: accept */
SEC("syscall")
int wq_cb_writes_value(void *ctx)
{
	int key = 0;
	struct wq_elem *e = bpf_map_lookup_elem(&kwq, &key);

	if (!e)
		return 0;
	if (bpf_wq_init(&e->work, &kwq, 0))
		return 0;
	bpf_wq_set_callback_impl(&e->work, wq_cb_value, 0, NULL);
	return 0;
}

/* the wq callback returns an unknown value */
SEC("syscall")
int wq_cb_unknown_ret(void *ctx)
{
	int key = 0;
	struct wq_elem *e = bpf_map_lookup_elem(&kwq, &key);

	if (!e)
		return 0;
	bpf_wq_set_callback_impl(&e->work, wq_cb_ptr, 0, NULL);
	return 0;
}

/* bpf_wq_init on a map value that has no bpf_wq */
SEC("syscall")
int wq_init_no_wq(void *ctx)
{
	int key = 0;
	long *v = bpf_map_lookup_elem(&plain, &key);

	if (!v)
		return 0;
	bpf_wq_init((struct bpf_wq *)v, &plain, 0);
	return 0;
}

/* bpf_wq_init at the wrong offset of the map value */
SEC("syscall")
int wq_init_bad_offset(void *ctx)
{
	int key = 0;
	struct wq_elem *e = bpf_map_lookup_elem(&kwq, &key);

	if (!e)
		return 0;
	bpf_wq_init((struct bpf_wq *)&e->pad, &kwq, 0);
	return 0;
}

/* bpf_wq_init given a map without a workqueue: no map check, accept */
SEC("syscall")
int wq_init_plain_map(void *ctx)
{
	int key = 0;
	struct wq_elem *e = bpf_map_lookup_elem(&kwq, &key);

	if (!e)
		return 0;
	bpf_wq_init(&e->work, &plain, 0);
	return 0;
}

static __noinline int throw_sub(int x)
{
	if (x > 3)
		bpf_throw(1);
	return x;
}

/* bpf_throw in a static subprogram: accept */
SEC("tc")
int throw_in_static_subprog(struct __sk_buff *skb)
{
	return throw_sub(skb->len) & 1;
}

/* the session cookie is 8 bytes: writing past them */
SEC("kprobe.session/do_nanosleep")
int session_cookie_past_end(struct pt_regs *ctx)
{
	u64 *cookie = bpf_session_cookie();

	cookie[1] = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

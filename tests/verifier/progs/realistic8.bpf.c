/* More realistic kfunc and v4-instruction programs (nested irq sections, resilient locks with
 * irq flags, iterators over a task's vmas and a cgroup's tasks, non-owning references,
 * sign-extending loads of the context and spilled values), some with deliberate bugs
 * (tests/verifier/test_realistic2.py holds each kernel verdict). */
#include "corpus.h"
#include "realistic.h"

struct item {
	long v;
	struct bpf_rb_node rb;
	struct bpf_refcount ref;
};

struct item *item_anchor;

private(I) struct bpf_spin_lock i_lock;
private(I) struct bpf_rb_root i_root __contains(item, rb);

struct rv {
	struct bpf_res_spin_lock lock;
	long n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct rv);
} rlocks SEC(".maps");

struct sv {
	struct bpf_spin_lock lock;
	long n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct sv);
} slocks SEC(".maps");

/* BTF anchors: forward-declared structs, else clang orders them by path hashes */
struct bpf_sock *sock_type_anchor;
struct bpf_flow_keys *flow_keys_type_anchor;

__u64 table[16];

/* two irq sections nested and restored in order: accept */
SEC("tc")
int n_irq_nested(struct __sk_buff *skb)
{
	unsigned long f1, f2;

	bpf_local_irq_save(&f1);
	bpf_local_irq_save(&f2);
	bpf_local_irq_restore(&f2);
	bpf_local_irq_restore(&f1);
	return 0;
}

/* restored out of order: reject */
SEC("tc")
int n_irq_out_of_order(struct __sk_buff *skb)
{
	unsigned long f1, f2;

	bpf_local_irq_save(&f1);
	bpf_local_irq_save(&f2);
	bpf_local_irq_restore(&f1);
	bpf_local_irq_restore(&f2);
	return 0;
}

/* irq flags overwritten while saved: reject */
SEC("tc")
int n_irq_clobber(struct __sk_buff *skb)
{
	unsigned long f;

	bpf_local_irq_save(&f);
	*(volatile unsigned long *)&f = 0;
	bpf_local_irq_restore(&f);
	return 0;
}

/* resilient lock with irq flags: accept */
SEC("tc")
int n_res_irqsave(struct __sk_buff *skb)
{
	__u32 k = 0;
	struct rv *v = bpf_map_lookup_elem(&rlocks, &k);
	unsigned long flags;

	if (!v)
		return 0;
	if (bpf_res_spin_lock_irqsave(&v->lock, &flags))
		return 0;
	v->n++;
	bpf_res_spin_unlock_irqrestore(&v->lock, &flags);
	return 0;
}

/* two resilient locks released in the wrong order: reject */
SEC("tc")
int n_res_order(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1;
	struct rv *a = bpf_map_lookup_elem(&rlocks, &k0);
	struct rv *b = bpf_map_lookup_elem(&rlocks, &k1);

	if (!a || !b)
		return 0;
	if (bpf_res_spin_lock(&a->lock))
		return 0;
	if (bpf_res_spin_lock(&b->lock)) {
		bpf_res_spin_unlock(&a->lock);
		return 0;
	}
	bpf_res_spin_unlock(&a->lock);
	bpf_res_spin_unlock(&b->lock);
	return 0;
}

/* two resilient locks released in order: accept */
SEC("tc")
int n_res_nested(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1;
	struct rv *a = bpf_map_lookup_elem(&rlocks, &k0);
	struct rv *b = bpf_map_lookup_elem(&rlocks, &k1);

	if (!a || !b)
		return 0;
	if (bpf_res_spin_lock(&a->lock))
		return 0;
	if (bpf_res_spin_lock(&b->lock)) {
		bpf_res_spin_unlock(&a->lock);
		return 0;
	}
	b->n = a->n;
	bpf_res_spin_unlock(&b->lock);
	bpf_res_spin_unlock(&a->lock);
	return 0;
}

/* a task's vmas counted: accept */
SEC("syscall")
int n_iter_vma(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);
	struct vm_area_struct *vma;
	int n = 0;

	if (!t)
		return 0;
	bpf_for_each(task_vma, vma, t, 0)
		n++;
	bpf_task_release(t);
	return n;
}

/* a vma iterator's vma used after its destroy: reject */
SEC("syscall")
int n_iter_vma_escape(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	long start = 0;

	if (!t)
		return 0;
	bpf_iter_task_vma_new(&it, t, 0);
	vma = bpf_iter_task_vma_next(&it);
	bpf_iter_task_vma_destroy(&it);
	if (vma)
		start = vma->vm_start;
	bpf_task_release(t);
	return start & 1;
}

/* a cgroup's tasks iterated: accept */
SEC("syscall")
int n_iter_css_task(void *ctx)
{
	struct cgroup *c = bpf_cgroup_from_id(1);
	struct task_struct *t;
	int n = 0;

	if (!c)
		return 0;
	bpf_for_each(css_task, t, &c->self, CSS_TASK_ITER_PROCS)
		n += t->pid & 1;
	bpf_cgroup_release(c);
	return n;
}

static bool item_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return container_of(a, struct item, rb)->v < container_of(b, struct item, rb)->v;
}

/* a non-owning reference made owning again with refcount_acquire: accept */
SEC("tc")
int n_refcount_nonowning(struct __sk_buff *skb)
{
	struct item *it = bpf_obj_new(struct item), *ref = NULL;

	if (!it)
		return 0;
	bpf_spin_lock(&i_lock);
	bpf_rbtree_add(&i_root, &it->rb, item_less);
	ref = bpf_refcount_acquire(it);
	bpf_spin_unlock(&i_lock);
	if (ref)
		bpf_obj_drop(ref);
	return 0;
}

/* a non-owning reference dropped: reject */
SEC("tc")
int n_drop_nonowning(struct __sk_buff *skb)
{
	struct item *it = bpf_obj_new(struct item);

	if (!it)
		return 0;
	bpf_spin_lock(&i_lock);
	bpf_rbtree_add(&i_root, &it->rb, item_less);
	bpf_spin_unlock(&i_lock);
	bpf_obj_drop(it);
	return 0;
}

/* the same node added twice: reject */
SEC("tc")
int n_add_twice(struct __sk_buff *skb)
{
	struct item *it = bpf_obj_new(struct item);

	if (!it)
		return 0;
	bpf_spin_lock(&i_lock);
	bpf_rbtree_add(&i_root, &it->rb, item_less);
	bpf_rbtree_add(&i_root, &it->rb, item_less);
	bpf_spin_unlock(&i_lock);
	return 0;
}

/* a refcount_acquire result not checked for NULL: reject */
SEC("tc")
int n_refcount_nonull(struct __sk_buff *skb)
{
	struct item *it = bpf_obj_new(struct item), *ref;

	if (!it)
		return 0;
	ref = bpf_refcount_acquire(it);
	ref->v = 1;
	bpf_obj_drop(ref);
	bpf_obj_drop(it);
	return 0;
}

/* a sign-extending load from the context: reject */
SEC("tc")
int n_ldsx_ctx(struct __sk_buff *skb)
{
	int v;

	asm volatile("%0 = *(s32 *)(%1 + 0)" : "=r"(v) : "r"(skb));
	return v & 1;
}

/* a spilled byte sign-extended on the fill, bounded: accept */
SEC("tc")
int n_ldsx_spill(struct __sk_buff *skb)
{
	volatile __s8 b = skb->mark & 7;
	long i = b;

	return table[i] & 1;
}

/* movsx of a pointer: reject */
SEC("tc")
int n_movsx_ptr(struct __sk_buff *skb)
{
	long r;

	asm volatile("%0 = (s32)%1" : "=r"(r) : "r"(skb));
	return r & 1;
}

/* signed 32-bit range from two compares used as an index: accept */
SEC("tc")
int n_s32_range(struct __sk_buff *skb)
{
	int i = skb->mark;

	if (i < 0 || i > 15)
		return 0;
	return table[i] & 1;
}

/* a signed compare that misses negative values: reject */
SEC("tc")
int n_s32_half(struct __sk_buff *skb)
{
	int i = skb->mark;

	if (i > 15)
		return 0;
	return table[i] & 1;
}

/* signed division of a bounded value: accept */
SEC("tc")
int n_sdiv_bounded(struct __sk_buff *skb)
{
	long v = skb->len & 0xff;
	long q;

	asm volatile("%0 = %1; %0 s/= 17" : "=r"(q) : "r"(v));
	if (q > 15)
		return 0;
	return table[q] & 1;
}

/* signed modulo by -3 of a bounded value: accept or reject as the kernel sees it */
SEC("tc")
int n_smod_negative(struct __sk_buff *skb)
{
	long v = skb->len & 0xff;
	long r;

	asm volatile("%0 = %1; %0 s%%= -3" : "=r"(r) : "r"(v));
	if (r > 15)
		return 0;
	return table[r] & 1;
}

/* two array slots with constant keys, locked one and unlocked the other: reject */
SEC("tc")
int n_spin_other_slot(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1;
	struct sv *a = bpf_map_lookup_elem(&slocks, &k0);
	struct sv *b = bpf_map_lookup_elem(&slocks, &k1);

	if (!a || !b)
		return 0;
	bpf_spin_lock(&a->lock);
	a->n++;
	bpf_spin_unlock(&b->lock);
	return 0;
}

/* a constant-key slot locked and unlocked: accept */
SEC("tc")
int n_spin_const_slot(struct __sk_buff *skb)
{
	__u32 k1 = 1;
	struct sv *b = bpf_map_lookup_elem(&slocks, &k1);

	if (!b)
		return 0;
	bpf_spin_lock(&b->lock);
	b->n++;
	bpf_spin_unlock(&b->lock);
	return 0;
}

/* a 32-bit sign-extending move of a pointer dereferenced: reject */
SEC("tc")
int n_movsx32_ptr_deref(struct __sk_buff *skb)
{
	int r;

	asm volatile("w2 = (s16)w1; %0 = *(u32 *)(r2 + 0)" : "=r"(r) :: "r2");
	return r & 1;
}

char LICENSE[] SEC("license") = "GPL";

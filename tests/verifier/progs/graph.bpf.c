/* bpf_list_head / bpf_rb_root cases the corpus lacks (tests/verifier/test_kfunc_graph.py):
 * each program's kernel verdict is in the test and checked against the running kernel. */
#include "corpus.h"

struct elem {
	long key;
	struct bpf_list_node a;
	struct bpf_list_node b;
};

struct relem {
	long key;
	struct bpf_rb_node rb;
};

struct relem_rc {
	long key;
	struct bpf_rb_node rb;
	struct bpf_refcount ref;
};

struct elem *elem_anchor;
struct relem *relem_anchor;
struct relem_rc *relem_rc_anchor;

private(A) struct bpf_spin_lock lock_a;
private(A) struct bpf_list_head head_a __contains(elem, b);
private(A) long counter_a;
private(B) struct bpf_spin_lock lock_b;
private(B) struct bpf_list_head head_b __contains(elem, b);
private(R) struct bpf_spin_lock lock_r;
private(R) struct bpf_rb_root root_r __contains(relem, rb);
private(C) struct bpf_spin_lock lock_c;
private(C) struct bpf_rb_root root_c __contains(relem_rc, rb);

/* the node at the wrong member of the right struct */
SEC("tc")
int list_node_wrong_member(struct __sk_buff *skb)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	bpf_spin_lock(&lock_a);
	bpf_list_push_back(&head_a, &e->a);
	bpf_spin_unlock(&lock_a);
	return 0;
}

/* a pointer to something that is not a list head */
SEC("tc")
int list_head_not_found(struct __sk_buff *skb)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	bpf_spin_lock(&lock_a);
	bpf_list_push_back((struct bpf_list_head *)&counter_a, &e->b);
	bpf_spin_unlock(&lock_a);
	return 0;
}

/* the lock of another allocation */
SEC("tc")
int list_other_lock(struct __sk_buff *skb)
{
	struct bpf_list_node *n;

	bpf_spin_lock(&lock_b);
	n = bpf_list_pop_front(&head_a);
	bpf_spin_unlock(&lock_b);
	if (n)
		bpf_obj_drop(container_of(n, struct elem, b));
	return 0;
}

/* popped from one list, pushed to another, non-owning after the push */
SEC("tc")
int list_move(struct __sk_buff *skb)
{
	struct bpf_list_node *n;
	struct elem *e;

	bpf_spin_lock(&lock_a);
	n = bpf_list_pop_front(&head_a);
	bpf_spin_unlock(&lock_a);
	if (!n)
		return 0;
	e = container_of(n, struct elem, b);
	bpf_spin_lock(&lock_b);
	bpf_list_push_back(&head_b, &e->b);
	e->key = 1;
	bpf_spin_unlock(&lock_b);
	return 0;
}

/* bpf_list_back: a non-owning reference, readable and writable under the lock */
SEC("tc")
int list_back_write(struct __sk_buff *skb)
{
	struct bpf_list_node *n;

	bpf_spin_lock(&lock_a);
	n = bpf_list_back(&head_a);
	if (n)
		container_of(n, struct elem, b)->key = 2;
	bpf_spin_unlock(&lock_a);
	return 0;
}

/* bpf_rbtree_first then bpf_rbtree_remove of the non-owning result */
SEC("tc")
int rbtree_first_remove(struct __sk_buff *skb)
{
	struct bpf_rb_node *rb;

	bpf_spin_lock(&lock_r);
	rb = bpf_rbtree_first(&root_r);
	if (!rb) {
		bpf_spin_unlock(&lock_r);
		return 0;
	}
	rb = bpf_rbtree_remove(&root_r, rb);
	bpf_spin_unlock(&lock_r);
	if (rb)
		bpf_obj_drop(container_of(rb, struct relem, rb));
	return 0;
}

/* bpf_rbtree_remove of a map value */
SEC("tc")
int rbtree_remove_map_value(struct __sk_buff *skb)
{
	struct bpf_rb_node *rb;

	bpf_spin_lock(&lock_r);
	rb = bpf_rbtree_remove(&root_r, (struct bpf_rb_node *)&counter_a);
	bpf_spin_unlock(&lock_r);
	if (rb)
		bpf_obj_drop(container_of(rb, struct relem, rb));
	return 0;
}

/* the non-owning result of bpf_rbtree_first used after the unlock */
SEC("tc")
int rbtree_first_after_unlock(struct __sk_buff *skb)
{
	struct bpf_rb_node *rb;

	bpf_spin_lock(&lock_r);
	rb = bpf_rbtree_first(&root_r);
	bpf_spin_unlock(&lock_r);
	if (!rb)
		return 0;
	return container_of(rb, struct relem, rb)->key;
}

/* refcounted nodes: the non-owning result of bpf_rbtree_first takes a reference */
SEC("tc")
int rbtree_refcounted_first(struct __sk_buff *skb)
{
	struct bpf_rb_node *rb;
	struct relem_rc *r = NULL;

	bpf_spin_lock(&lock_c);
	rb = bpf_rbtree_first(&root_c);
	if (rb)
		r = bpf_refcount_acquire(container_of(rb, struct relem_rc, rb));
	bpf_spin_unlock(&lock_c);
	if (r)
		bpf_obj_drop(r);
	return 0;
}

/* an object of another node type removed from the tree */
SEC("tc")
int rbtree_remove_wrong_type(struct __sk_buff *skb)
{
	struct relem_rc *n = bpf_obj_new(struct relem_rc);
	struct bpf_rb_node *rb;

	if (!n)
		return 0;
	bpf_spin_lock(&lock_r);
	rb = bpf_rbtree_remove(&root_r, &n->rb);
	bpf_spin_unlock(&lock_r);
	bpf_obj_drop(n);
	if (rb)
		bpf_obj_drop(container_of(rb, struct relem, rb));
	return 0;
}

/* an owning reference removed (it was never added): both references must be dropped */
SEC("tc")
int rbtree_remove_owning_unadded(struct __sk_buff *skb)
{
	struct relem_rc *n = bpf_obj_new(struct relem_rc);
	struct bpf_rb_node *rb;

	if (!n)
		return 0;
	bpf_spin_lock(&lock_c);
	rb = bpf_rbtree_remove(&root_c, &n->rb);
	bpf_spin_unlock(&lock_c);
	bpf_obj_drop(n);
	if (rb)
		bpf_obj_drop(container_of(rb, struct relem_rc, rb));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

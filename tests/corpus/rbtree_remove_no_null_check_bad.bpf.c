/* bpf_rbtree_remove of bpf_rbtree_first's result (a node at offset 8) without a NULL check: reject "dereference of modified ptr_or_null_ ptr R2 off=8 disallowed"; 6.18.44-fc-v1272: reject "Possibly NULL pointer passed to trusted arg1" */
#include "corpus.h"

struct rnode {
	long key;
	struct bpf_rb_node rb;
};

/* keeps struct rnode in the program BTF where only container_of names it */
struct rnode *rnode_type_anchor;

private(R) struct bpf_spin_lock rlock;
private(R) struct bpf_rb_root rroot __contains(rnode, rb);

static bool less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	struct rnode *na = container_of(a, struct rnode, rb);
	struct rnode *nb = container_of(b, struct rnode, rb);

	return na->key < nb->key;
}

SEC("tc")
int rbtree_remove_no_null_check(struct __sk_buff *skb)
{
	struct bpf_rb_node *rb;

	bpf_spin_lock(&rlock);
	rb = bpf_rbtree_first(&rroot);
	rb = bpf_rbtree_remove(&rroot, rb);
	bpf_spin_unlock(&rlock);
	if (rb)
		bpf_obj_drop(container_of(rb, struct rnode, rb));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

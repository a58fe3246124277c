/* bpf_rbtree_remove also takes an owning (referenced) node that was never added; both references dropped: accept */
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
int rbtree_remove_owning(struct __sk_buff *skb)
{
	struct rnode *n = bpf_obj_new(struct rnode);
	struct bpf_rb_node *rb;

	if (!n)
		return 0;
	bpf_spin_lock(&rlock);
	rb = bpf_rbtree_remove(&rroot, &n->rb);
	bpf_spin_unlock(&rlock);
	if (rb)
		bpf_obj_drop(container_of(rb, struct rnode, rb));
	bpf_obj_drop(n);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_rbtree_add without holding the tree's lock: reject "must be held for bpf_rb_root" */
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
int rbtree_add_missing_lock(struct __sk_buff *skb)
{
	struct rnode *n = bpf_obj_new(struct rnode);

	if (!n)
		return 0;
	bpf_rbtree_add(&rroot, &n->rb, less);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

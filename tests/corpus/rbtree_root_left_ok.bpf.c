/* bpf_rbtree_root and bpf_rbtree_left walk the tree under the lock: accept */
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
int rbtree_root_left(struct __sk_buff *skb)
{
	struct bpf_rb_node *rb;
	long key = 0;

	bpf_spin_lock(&rlock);
	rb = bpf_rbtree_root(&rroot);
	if (rb) {
		rb = bpf_rbtree_left(&rroot, rb);
		if (rb)
			key = container_of(rb, struct rnode, rb)->key;
	}
	bpf_spin_unlock(&rlock);
	return key;
}

char LICENSE[] SEC("license") = "GPL";

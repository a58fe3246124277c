/* bpf_rbtree_add with a less callback, bpf_rbtree_first and bpf_rbtree_remove under the lock, then drop: accept */
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
int rbtree_add_remove(struct __sk_buff *skb)
{
	struct rnode *n = bpf_obj_new(struct rnode);
	struct bpf_rb_node *rb;

	if (!n)
		return 0;
	n->key = skb->len;
	bpf_spin_lock(&rlock);
	bpf_rbtree_add(&rroot, &n->rb, less);
	rb = bpf_rbtree_first(&rroot);
	if (!rb) {
		bpf_spin_unlock(&rlock);
		return 0;
	}
	rb = bpf_rbtree_remove(&rroot, rb);
	bpf_spin_unlock(&rlock);
	if (!rb)
		return 0;
	bpf_obj_drop(container_of(rb, struct rnode, rb));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

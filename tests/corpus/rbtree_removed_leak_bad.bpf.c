/* a node removed from the tree is never dropped: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
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
int rbtree_removed_leak(struct __sk_buff *skb)
{
	struct bpf_rb_node *rb;

	bpf_spin_lock(&rlock);
	rb = bpf_rbtree_first(&rroot);
	if (!rb) {
		bpf_spin_unlock(&rlock);
		return 0;
	}
	rb = bpf_rbtree_remove(&rroot, rb);
	bpf_spin_unlock(&rlock);
	return rb != 0;
}

char LICENSE[] SEC("license") = "GPL";

/* the rbtree less callback calls bpf_rbtree_remove on its node: reject "bpf_rbtree_remove not allowed in rbtree cb" */
#include "corpus.h"

struct rnode {
	long key;
	struct bpf_rb_node rb;
};

private(R) struct bpf_spin_lock rlock;
private(R) struct bpf_rb_root rroot __contains(rnode, rb);

static bool less_calls(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return bpf_rbtree_remove(&rroot, a) == 0;
}

SEC("tc")
int rbtree_less_calls_kfunc(struct __sk_buff *skb)
{
	struct rnode *n = bpf_obj_new(struct rnode);

	if (!n)
		return 0;
	bpf_spin_lock(&rlock);
	bpf_rbtree_add(&rroot, &n->rb, less_calls);
	bpf_spin_unlock(&rlock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

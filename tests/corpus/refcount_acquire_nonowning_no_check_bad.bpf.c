/* bpf_refcount_acquire of a non-owning list node may fail; writing the result without a NULL check: reject "invalid mem access 'ptr_or_null_'" */
#include "corpus.h"

struct rcnode {
	long key;
	struct bpf_list_node link;
	struct bpf_refcount ref;
};

private(C) struct bpf_spin_lock clock;
private(C) struct bpf_list_head chead __contains(rcnode, link);

SEC("tc")
int refcount_acquire_nonowning_no_check(struct __sk_buff *skb)
{
	struct rcnode *n = bpf_obj_new(struct rcnode);
	struct rcnode *again;

	if (!n)
		return 0;
	bpf_spin_lock(&clock);
	bpf_list_push_front(&chead, &n->link);
	again = bpf_refcount_acquire(n);
	bpf_spin_unlock(&clock);
	again->key = 1;
	bpf_obj_drop(again);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

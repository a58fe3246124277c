/* writing a pushed node after the lock is released (its non-owning ref is gone): reject "invalid mem access 'scalar'" */
#include "corpus.h"

struct elem {
	long key;
	struct bpf_list_node link;
};

/* keeps struct elem in the program BTF where only container_of names it */
struct elem *elem_type_anchor;

private(A) struct bpf_spin_lock lock_a;
private(A) struct bpf_list_head head_a __contains(elem, link);

SEC("tc")
int list_use_after_unlock(struct __sk_buff *skb)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	bpf_spin_lock(&lock_a);
	bpf_list_push_front(&head_a, &e->link);
	e->key = 1;
	bpf_spin_unlock(&lock_a);
	e->key = 2;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

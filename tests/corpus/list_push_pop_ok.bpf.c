/* bpf_obj_new node pushed to a locked list, popped under the lock and dropped: accept */
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
int list_push_pop(struct __sk_buff *skb)
{
	struct bpf_list_node *ln;
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	e->key = skb->len;
	bpf_spin_lock(&lock_a);
	bpf_list_push_front(&head_a, &e->link);
	bpf_spin_unlock(&lock_a);

	bpf_spin_lock(&lock_a);
	ln = bpf_list_pop_back(&head_a);
	bpf_spin_unlock(&lock_a);
	if (!ln)
		return 0;
	bpf_obj_drop(container_of(ln, struct elem, link));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

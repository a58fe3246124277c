/* bpf_list_front under the lock gives a readable non-owning node: accept */
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
int list_front(struct __sk_buff *skb)
{
	struct bpf_list_node *ln;
	long key = 0;

	bpf_spin_lock(&lock_a);
	ln = bpf_list_front(&head_a);
	if (ln)
		key = container_of(ln, struct elem, link)->key;
	bpf_spin_unlock(&lock_a);
	return key;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_list_push_front without holding the list's bpf_spin_lock: reject "must be held for bpf_list_head" */
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
int list_push_missing_lock(struct __sk_buff *skb)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	bpf_list_push_front(&head_a, &e->link);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

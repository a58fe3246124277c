/* bpf_list_pop_front without holding the list's bpf_spin_lock: reject "must be held for bpf_list_head" */
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
int list_pop_missing_lock(struct __sk_buff *skb)
{
	struct bpf_list_node *ln = bpf_list_pop_front(&head_a);

	if (ln)
		bpf_obj_drop(container_of(ln, struct elem, link));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

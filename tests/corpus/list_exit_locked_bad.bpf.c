/* returning while the list lock is still held: reject "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region" */
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
int list_exit_locked(struct __sk_buff *skb)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	bpf_spin_lock(&lock_a);
	bpf_list_push_front(&head_a, &e->link);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

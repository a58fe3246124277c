/* a popped node is neither dropped nor pushed back: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
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
int list_pop_leak(struct __sk_buff *skb)
{
	struct bpf_list_node *ln;

	bpf_spin_lock(&lock_a);
	ln = bpf_list_pop_front(&head_a);
	bpf_spin_unlock(&lock_a);
	return ln != 0;
}

char LICENSE[] SEC("license") = "GPL";

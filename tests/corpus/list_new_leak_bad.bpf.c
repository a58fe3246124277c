/* a bpf_obj_new node neither pushed nor dropped: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
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
int list_new_leak(struct __sk_buff *skb)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	e->key = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

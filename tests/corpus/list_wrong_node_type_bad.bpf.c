/* pushing a struct whose list node is at another offset than the head's __contains type: reject "operation on bpf_list_head expects arg#1 bpf_list_node at offset=8 in struct elem, but arg is at offset=16 in struct other" */
#include "corpus.h"

struct elem {
	long key;
	struct bpf_list_node link;
};

/* keeps struct elem in the program BTF where only container_of names it */
struct elem *elem_type_anchor;

private(A) struct bpf_spin_lock lock_a;
private(A) struct bpf_list_head head_a __contains(elem, link);

struct other {
	long a, b;
	struct bpf_list_node link;
};

SEC("tc")
int list_wrong_node_type(struct __sk_buff *skb)
{
	struct other *o = bpf_obj_new(struct other);

	if (!o)
		return 0;
	bpf_spin_lock(&lock_a);
	bpf_list_push_front(&head_a, &o->link);
	bpf_spin_unlock(&lock_a);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* the list is pushed while holding the lock of another allocation ("held lock and object are not in the same allocation" first): reject "bpf_spin_lock at off=16 must be held for bpf_list_head" */
#include "corpus.h"

struct elem {
	long key;
	struct bpf_list_node link;
};

/* keeps struct elem in the program BTF where only container_of names it */
struct elem *elem_type_anchor;

private(A) struct bpf_spin_lock lock_a;
private(A) struct bpf_list_head head_a __contains(elem, link);

private(B) struct bpf_spin_lock lock_b;
private(B) struct bpf_list_head head_b __contains(elem, link);

SEC("tc")
int list_push_wrong_lock(struct __sk_buff *skb)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	bpf_spin_lock(&lock_b);
	bpf_list_push_front(&head_a, &e->link);
	bpf_spin_unlock(&lock_b);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

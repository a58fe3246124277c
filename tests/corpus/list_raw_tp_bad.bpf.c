/* a raw_tp (tracing) program using a map with a bpf_list_head: reject "tracing progs cannot use bpf_{list_head,rb_root} yet" */
#include "corpus.h"

struct elem {
	long key;
	struct bpf_list_node link;
};

/* keeps struct elem in the program BTF where only container_of names it */
struct elem *elem_type_anchor;

private(A) struct bpf_spin_lock lock_a;
private(A) struct bpf_list_head head_a __contains(elem, link);

SEC("raw_tp/sched_switch")
int list_raw_tp(void *ctx)
{
	struct elem *e = bpf_obj_new(struct elem);

	if (!e)
		return 0;
	bpf_spin_lock(&lock_a);
	bpf_list_push_front(&head_a, &e->link);
	bpf_spin_unlock(&lock_a);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_percpu_obj_new of a struct containing a bpf_list_node: reject "bpf_percpu_obj_new type ID argument must not contain special fields" */
#include "corpus.h"

struct pnode {
	long a;
	struct bpf_list_node link;
};

SEC("tc")
int percpu_obj_new_special_field(struct __sk_buff *skb)
{
	struct pnode __percpu_kptr *p = bpf_percpu_obj_new(struct pnode);

	if (!p)
		return 0;
	bpf_percpu_obj_drop(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

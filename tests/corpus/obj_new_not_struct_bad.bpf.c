/* bpf_obj_new of a scalar type instead of a struct: reject "bpf_obj_new/bpf_percpu_obj_new type ID argument must be of a struct" */
#include "corpus.h"

SEC("tc")
int obj_new_not_struct(struct __sk_buff *skb)
{
	long *p = bpf_obj_new_impl(bpf_core_type_id_local(long), NULL);

	if (p)
		bpf_obj_drop(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_percpu_obj_new of a struct of scalars, then bpf_percpu_obj_drop: accept */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int percpu_obj_new_drop(struct __sk_buff *skb)
{
	struct obj __percpu_kptr *p = bpf_percpu_obj_new(struct obj);

	if (!p)
		return 0;
	bpf_percpu_obj_drop(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

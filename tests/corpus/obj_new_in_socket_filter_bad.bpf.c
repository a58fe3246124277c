/* bpf_obj_new (generic set) in a socket filter program: reject "calling kernel function bpf_obj_new_impl is not allowed" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("socket")
int obj_new_in_socket_filter(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);

	if (o)
		bpf_obj_drop(o);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_obj_new, write a field, bpf_obj_drop: accept */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int obj_new_drop(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);

	if (!o)
		return 0;
	o->a = skb->len;
	bpf_obj_drop(o);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

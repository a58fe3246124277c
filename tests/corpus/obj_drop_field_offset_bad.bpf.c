/* bpf_obj_drop of a pointer into the middle of the object: reject "R1 must have zero offset when passed to release func" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int obj_drop_field_offset(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);

	if (!o)
		return 0;
	bpf_obj_drop(&o->b);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

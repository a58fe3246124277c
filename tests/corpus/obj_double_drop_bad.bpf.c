/* bpf_obj_drop twice on one object (the first drop invalidates the pointer): reject "R1 must be referenced or trusted" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int obj_double_drop(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);

	if (!o)
		return 0;
	bpf_obj_drop(o);
	bpf_obj_drop(o);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

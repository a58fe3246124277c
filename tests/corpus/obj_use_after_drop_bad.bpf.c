/* writing an object after bpf_obj_drop: reject "invalid mem access 'scalar'" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int obj_use_after_drop(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);

	if (!o)
		return 0;
	bpf_obj_drop(o);
	o->b = 2;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

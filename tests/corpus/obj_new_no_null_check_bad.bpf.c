/* writing a bpf_obj_new object before the NULL check: reject "R0 invalid mem access 'ptr_or_null_'" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int obj_new_no_null_check(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);

	o->a = 1;
	bpf_obj_drop(o);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

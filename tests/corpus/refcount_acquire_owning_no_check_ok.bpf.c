/* bpf_refcount_acquire of an owning reference cannot fail, so its result is used without a NULL check: accept */
#include "corpus.h"

struct robj {
	long a;
	struct bpf_refcount ref;
};

SEC("tc")
int refcount_acquire_owning_no_check(struct __sk_buff *skb)
{
	struct robj *o = bpf_obj_new(struct robj);
	struct robj *again;

	if (!o)
		return 0;
	again = bpf_refcount_acquire(o);
	again->a = 1;
	bpf_obj_drop(o);
	bpf_obj_drop(again);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

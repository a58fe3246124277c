/* bpf_refcount_acquire on an owning refcounted object; both references dropped: accept */
#include "corpus.h"

struct robj {
	long a;
	struct bpf_refcount ref;
};

SEC("tc")
int refcount_acquire(struct __sk_buff *skb)
{
	struct robj *o = bpf_obj_new(struct robj);
	struct robj *again;

	if (!o)
		return 0;
	again = bpf_refcount_acquire(o);
	bpf_obj_drop(o);
	if (again)
		bpf_obj_drop(again);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

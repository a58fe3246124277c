/* the reference from bpf_refcount_acquire is never dropped: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

struct robj {
	long a;
	struct bpf_refcount ref;
};

SEC("tc")
int refcount_acquire_leak(struct __sk_buff *skb)
{
	struct robj *o = bpf_obj_new(struct robj);
	struct robj *again;

	if (!o)
		return 0;
	again = bpf_refcount_acquire(o);
	bpf_obj_drop(o);
	return again != 0;
}

char LICENSE[] SEC("license") = "GPL";

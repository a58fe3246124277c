/* bpf_refcount_acquire on an object without a bpf_refcount field (the kernel reports an internal bug): reject "verifier bug: Couldn't find btf_record" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int refcount_acquire_no_field(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);
	struct obj *again;

	if (!o)
		return 0;
	again = bpf_refcount_acquire(o);
	bpf_obj_drop(o);
	if (again)
		bpf_obj_drop(again);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

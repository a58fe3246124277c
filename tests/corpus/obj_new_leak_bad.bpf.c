/* bpf_obj_new without bpf_obj_drop: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tc")
int obj_new_leak(struct __sk_buff *skb)
{
	struct obj *o = bpf_obj_new(struct obj);

	if (!o)
		return 0;
	o->a = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

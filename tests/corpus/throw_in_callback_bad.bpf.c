/* bpf_throw from a bpf_loop callback subprogram: reject "cannot be called from callback subprog" */
#include "corpus.h"

static long cb(u64 index, void *ctx)
{
	if (index == 3)
		bpf_throw(0);
	return 0;
}

SEC("tc")
int throw_in_callback(struct __sk_buff *skb)
{
	bpf_loop(8, cb, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a static noinline subprogram called with the context: accept */
#include "corpus.h"

static __noinline int twice(int x)
{
	return x * 2;
}

SEC("tc")
int subprog_static(struct __sk_buff *skb)
{
	return twice(skb->len) > 100;
}

char LICENSE[] SEC("license") = "GPL";

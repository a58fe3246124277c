/* bpf_throw on a condition in tc (default exception callback): accept */
#include "corpus.h"

SEC("tc")
int throw_prog(struct __sk_buff *skb)
{
	if (skb->len > 1000)
		bpf_throw(1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

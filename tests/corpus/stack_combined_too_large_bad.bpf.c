/* two nested subprograms with 320-byte frames exceed the 512-byte stack: reject "combined stack size of 3 calls is 640. Too large" */
#include "corpus.h"

static __noinline int inner(struct __sk_buff *skb)
{
	char buf[320];

	bpf_skb_load_bytes(skb, 0, buf, sizeof(buf));
	return buf[0] + buf[319];
}

static __noinline int outer(struct __sk_buff *skb)
{
	char buf[320];

	bpf_skb_load_bytes(skb, 0, buf, sizeof(buf));
	return buf[0] + buf[319] + inner(skb);
}

SEC("tc")
int stack_combined_too_large(struct __sk_buff *skb)
{
	return outer(skb);
}

char LICENSE[] SEC("license") = "GPL";

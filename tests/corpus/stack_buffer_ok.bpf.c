/* a stack buffer written then summed: accept */
#include "corpus.h"

SEC("socket")
int stack_buffer(struct __sk_buff *skb)
{
	char buf[64];
	int i, sum = 0;

	bpf_skb_load_bytes(skb, 0, buf, sizeof(buf));
	for (i = 0; i < 64; i++)
		sum += buf[i];
	return sum;
}

char LICENSE[] SEC("license") = "GPL";

/* a bounded loop of 16 iterations over a stack array: accept */
#include "corpus.h"

SEC("tc")
int loop_bounded(struct __sk_buff *skb)
{
	u32 vals[16];
	u32 sum = 0;
	int i;

	for (i = 0; i < 16; i++)
		vals[i] = skb->len + i;
	for (i = 0; i < 16; i++)
		sum += vals[i];
	return sum;
}

char LICENSE[] SEC("license") = "GPL";

/* a loop that never changes its state: reject "infinite loop detected at insn" */
#include "corpus.h"

SEC("tc")
int loop_infinite(struct __sk_buff *skb)
{
	u32 x = skb->len;

	while (x)
		asm volatile("" : "+r"(x));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a loop bounded only by skb->len (up to 2^32 iterations): reject "BPF program is too large. Processed 1000001 insn" */
#include "corpus.h"

SEC("tc")
int loop_too_many_insns(struct __sk_buff *skb)
{
	u32 n = skb->len, sum = 0, i;

	for (i = 0; i < n; i++)
		asm volatile("%0 += %1" : "+r"(sum) : "r"(i));
	return sum;
}

char LICENSE[] SEC("license") = "GPL";

/* a store at fp-520, below the 512-byte stack frame: reject "invalid write to stack R10 off=-520 size=8" */
#include "corpus.h"

SEC("socket")
int stack_write_past_frame(struct __sk_buff *skb)
{
	u64 len = skb->len;

	/* a hand-computed spill slot that overshoots MAX_BPF_STACK */
	asm volatile("*(u64 *)(r10 - 520) = %0" : : "r"(len) : "memory");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

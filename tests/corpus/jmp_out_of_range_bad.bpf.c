/* a hand-written asm branch whose offset points past the end of the program: reject "jump out of range from insn 2 to 42" */
#include "corpus.h"

SEC("socket")
__attribute__((naked)) int jmp_out_of_range(void)
{
	asm volatile(
	"r0 = *(u32 *)(r1 + 0);"	/* skb->len */
	"r2 = 0;"
	"if r0 > 1500 goto +39;"	/* meant to skip to the drop path */
	"r0 = 0;"
	"exit;"
	::: "memory");
}

char LICENSE[] SEC("license") = "GPL";

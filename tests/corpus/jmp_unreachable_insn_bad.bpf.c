/* asm with a dead instruction after an unconditional exit path (no branch reaches it): reject "unreachable insn 3" */
#include "corpus.h"

SEC("socket")
__attribute__((naked)) int jmp_unreachable_insn(void)
{
	asm volatile(
	"r0 = *(u32 *)(r1 + 0);"
	"r0 &= 0xffff;"
	"exit;"
	"r0 = 0;"	/* left over from an earlier version */
	"exit;"
	::: "memory");
}

char LICENSE[] SEC("license") = "GPL";

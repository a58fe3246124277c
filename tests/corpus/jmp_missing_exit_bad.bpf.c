/* an asm program whose last instruction is a conditional branch falling off the end: reject "last insn is not an exit or jmp" */
#include "corpus.h"

SEC("socket")
__attribute__((naked)) int jmp_missing_exit(void)
{
	asm volatile(
	"r0 = *(u32 *)(r1 + 0);"
	"if r0 > 1500 goto -2;"
	::: "memory");
}

char LICENSE[] SEC("license") = "GPL";

/* a branch landing on the second half of a 16-byte ld_imm64 instruction: reject "jump into the middle of ldimm64 insn 2" */
#include "corpus.h"

SEC("socket")
__attribute__((naked)) int jmp_into_ldimm64(void)
{
	asm volatile(
	"r0 = *(u32 *)(r1 + 0);"
	"if r0 > 64 goto +1;"	/* meant +2: the ld_imm64 takes two slots */
	"r0 = 0x100000000 ll;"
	"r0 >>= 32;"
	"exit;"
	::: "memory");
}

char LICENSE[] SEC("license") = "GPL";

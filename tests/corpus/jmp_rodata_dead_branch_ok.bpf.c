/* a branch on a const volatile .rodata flag (false) guards an out-of-bounds read the verifier never walks: accept */
#include "corpus.h"

const volatile bool debug_dump_ctx = false;

SEC("socket")
int jmp_rodata_dead_branch(struct __sk_buff *skb)
{
	if (debug_dump_ctx)
		/* broken debug code: past the end of __sk_buff */
		return *(volatile u32 *)((void *)skb + 4096);
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";

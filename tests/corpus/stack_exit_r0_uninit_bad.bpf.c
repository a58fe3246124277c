/* a static subprogram whose inline asm sets R0 on one path only, so the other path returns with R0 never written: reject "R0 !read_ok" */
#include "corpus.h"

/* returns 1 for IPv4 frames; the other path forgets to set r0 */
static __noinline int is_ipv4(u32 protocol)
{
	register int ret asm("r0");

	asm volatile(
	"if %[proto] != 0x0008 goto 1f;"	/* htons(ETH_P_IP) */
	"r0 = 1;"
	"1:"
	: "=r"(ret)
	: [proto] "r"(protocol));
	return ret;
}

SEC("socket")
int stack_exit_r0_uninit(struct __sk_buff *skb)
{
	return is_ipv4(skb->protocol) ? skb->len : 0;
}

char LICENSE[] SEC("license") = "GPL";

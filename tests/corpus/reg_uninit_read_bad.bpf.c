/* a register never written is read (r3 in the entry block, inline asm): reject "R3 !read_ok" */
#include "corpus.h"

SEC("tc")
int reg_uninit_read(struct __sk_buff *skb)
{
	int ret;

	asm volatile("%[ret] = r3" : [ret] "=r"(ret));
	return ret;
}

char LICENSE[] SEC("license") = "GPL";

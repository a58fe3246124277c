/* reading a never-written stack slot is allowed for a privileged (CAP_PERFMON) loader: accept */
#include "corpus.h"

SEC("socket")
int stack_uninit_read(struct __sk_buff *skb)
{
	long slot;

	asm volatile("" : "=m"(slot));
	return slot;
}

char LICENSE[] SEC("license") = "GPL";

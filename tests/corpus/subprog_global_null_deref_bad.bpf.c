/* a global function dereferencing its pointer argument without a NULL check: reject "invalid mem access 'mem_or_null'" */
#include "corpus.h"

__noinline int first_word(u32 *p)
{
	return *p;
}

SEC("tc")
int subprog_global_null_deref(struct __sk_buff *skb)
{
	u32 v = skb->len;

	return first_word(&v);
}

char LICENSE[] SEC("license") = "GPL";

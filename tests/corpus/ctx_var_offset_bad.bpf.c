/* reading skb->cb[i] with a variable index (context offsets must be constant): reject "dereference of modified ctx ptr R3 off=48 disallowed" */
#include "corpus.h"

SEC("socket")
int ctx_var_offset(struct __sk_buff *skb)
{
	u32 i = skb->len & 3;

	return skb->cb[i];
}

char LICENSE[] SEC("license") = "GPL";

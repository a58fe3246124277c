/* a stack array indexed by a bounded variable (privileged variable-offset stack access): accept */
#include "corpus.h"

#define TC_ACT_OK 0

SEC("tc")
int stack_var_offset(struct __sk_buff *skb)
{
	u32 counts[16] = {};
	u32 i = skb->queue_mapping & 15;
	volatile u32 *slot = &counts[i];

	*slot += 1;
	return counts[0] ? TC_ACT_OK : 1;
}

char LICENSE[] SEC("license") = "GPL";

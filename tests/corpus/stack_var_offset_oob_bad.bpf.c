/* a stack array indexed by a variable bounded at 32 for a 16-entry array (may run past the frame top): reject "invalid variable-offset read from stack R2 var_off=(0x0; 0x7c) off=-64 size=4" */
#include "corpus.h"

#define TC_ACT_OK 0

SEC("tc")
int stack_var_offset_oob(struct __sk_buff *skb)
{
	u32 counts[16] = {};
	u32 i = skb->queue_mapping & 31;
	volatile u32 *slot = &counts[i];

	*slot += 1;
	return counts[0] ? TC_ACT_OK : 1;
}

char LICENSE[] SEC("license") = "GPL";

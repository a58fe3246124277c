/* a .rodata table indexed by a packet-derived value without a bounds check: reject "R3 unbounded memory access, make sure to bounds check any such access" */
#include "corpus.h"

#define TC_ACT_OK 0

const volatile u8 dscp_to_prio[64] = { [46] = 6, [34] = 4, [26] = 3 };

SEC("tc")
int rodata_index_unchecked(struct __sk_buff *skb)
{
	u32 dscp = skb->cb[0];	/* set by the classifier before us */

	skb->priority = dscp_to_prio[dscp];
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* tc reads the low byte of skb->mark and two bytes of skb->protocol (narrow __sk_buff loads): accept */
#include "corpus.h"

#define TC_ACT_OK 0

SEC("tc")
int ctx_skb_narrow_read(struct __sk_buff *skb)
{
	u8 zone = *(volatile u8 *)&skb->mark;
	u16 proto = *(volatile u16 *)&skb->protocol;

	return zone == 7 && proto == 0xdd86 ? 2 : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

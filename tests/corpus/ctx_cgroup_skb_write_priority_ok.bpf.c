/* cgroup_skb/egress writes skb->priority and skb->mark (writable in its context) and returns 1: accept */
#include "corpus.h"

SEC("cgroup_skb/egress")
int ctx_cgroup_skb_write_priority(struct __sk_buff *skb)
{
	if (skb->protocol == 0x0008 && skb->len < 128) {
		skb->priority = 6;	/* TC_PRIO_INTERACTIVE */
		skb->mark |= 0x40;
	}
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

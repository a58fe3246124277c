/* cgroup_skb/egress returning 2 or 3 (allow with congestion notification, valid on egress): accept */
#include "corpus.h"

SEC("cgroup_skb/egress")
int retval_cgroup_skb_egress_cn(struct __sk_buff *skb)
{
	if (skb->len > 9000)
		return 0;		/* drop */
	if (skb->priority == 0)
		return 3;		/* allow, congestion notification */
	return skb->len > 1500 ? 2 : 1;	/* 2: drop + CN */
}

char LICENSE[] SEC("license") = "GPL";

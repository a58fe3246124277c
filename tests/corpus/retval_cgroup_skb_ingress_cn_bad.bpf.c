/* cgroup_skb/ingress returning 3 (congestion notification is only for egress): reject "At program exit the register R0 has smin=3 smax=3 should have been in [0, 1]" */
#include "corpus.h"

SEC("cgroup_skb/ingress")
int retval_cgroup_skb_ingress_cn(struct __sk_buff *skb)
{
	if (skb->len > 9000)
		return 0;
	return 3;	/* copied from the egress program */
}

char LICENSE[] SEC("license") = "GPL";

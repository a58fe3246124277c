/* cgroup_skb/ingress returning a value computed from the packet length (unknown, not 0 or 1): reject "At program exit the register R0 has smin=0 smax=4294967295 should have been in [0, 1]" */
#include "corpus.h"

SEC("cgroup_skb/ingress")
int retval_cgroup_skb_len(struct __sk_buff *skb)
{
	/* "non-zero means allow", as in a socket filter */
	return skb->len > 1500 ? 0 : skb->len;
}

char LICENSE[] SEC("license") = "GPL";

/* a cgroup_skb program returning 1 (allow): accept */
#include "corpus.h"

SEC("cgroup_skb/egress")
int retval_cgroup_skb_allow(struct __sk_buff *skb)
{
	return skb->len > 0;
}

char LICENSE[] SEC("license") = "GPL";

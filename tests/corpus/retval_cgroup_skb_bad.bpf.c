/* a cgroup_skb program returning 7 (allowed: 0..3): reject "At program exit the register R0 has" */
#include "corpus.h"

SEC("cgroup_skb/egress")
int retval_cgroup_skb(struct __sk_buff *skb)
{
	return 7;
}

char LICENSE[] SEC("license") = "GPL";

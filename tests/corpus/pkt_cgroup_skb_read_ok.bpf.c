/* a cgroup_skb/egress program reads the IPv4 header directly (data/data_end, range-checked): accept */
#include "corpus.h"

SEC("cgroup_skb/egress")
int pkt_cgroup_skb_read(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data;	/* cgroup skbs start at the network header */

	if ((void *)(ip + 1) > data_end)
		return 1;
	return ip->protocol == 132 ? 0 : 1;	/* no SCTP */
}

char LICENSE[] SEC("license") = "GPL";

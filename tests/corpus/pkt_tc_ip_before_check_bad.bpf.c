/* tc reads the IPv4 header after checking only the Ethernet header's bounds: reject "R2 offset is outside of the packet" */
#include "corpus.h"

SEC("tc")
int pkt_tc_ip_before_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end)
		return 0;
	ip = (void *)(eth + 1);
	return ip->protocol;
}

char LICENSE[] SEC("license") = "GPL";

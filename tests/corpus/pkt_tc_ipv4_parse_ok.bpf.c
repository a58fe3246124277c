/* tc parses Ethernet and IPv4 headers, each checked against data_end before it is read: accept */
#include "corpus.h"

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

SEC("tc")
int pkt_tc_ipv4_parse(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != 0x0008)	/* htons(ETH_P_IP) */
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (ip->ttl <= 1 || ip->protocol == 47 /* GRE */)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

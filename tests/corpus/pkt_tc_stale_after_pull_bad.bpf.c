/* a packet pointer kept across bpf_skb_pull_data (which invalidates packet pointers): reject "R7 invalid mem access 'scalar'" */
#include "corpus.h"

#define TC_ACT_OK 0

SEC("tc")
int pkt_tc_stale_after_pull(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	if (bpf_skb_pull_data(skb, 64))
		return TC_ACT_OK;
	/* should reload skb->data and re-check */
	return eth->h_proto == 0x0008 ? TC_ACT_OK : 2;
}

char LICENSE[] SEC("license") = "GPL";

/* tc rewrites the Ethernet protocol field after a bounds check: accept */
#include "corpus.h"

SEC("tc")
int pkt_write_tc(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return 0;
	eth->h_proto = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

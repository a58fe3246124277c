/* a cgroup_skb program rewriting the IPv4 TOS byte in place (cgroup skbs are read-only): reject "cannot write into packet" */
#include "corpus.h"

SEC("cgroup_skb/egress")
int pkt_cgroup_skb_write(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data;

	if ((void *)(ip + 1) > data_end)
		return 1;
	ip->tos = 0x10;	/* should use bpf_skb_store_bytes in tc instead */
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

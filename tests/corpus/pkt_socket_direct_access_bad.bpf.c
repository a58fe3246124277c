/* a socket filter reading skb->data (no direct packet access): reject "invalid bpf_context access" */
#include "corpus.h"

SEC("socket")
int pkt_socket_direct_access(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	if (data + 1 > data_end)
		return 0;
	return *(u8 *)data;
}

char LICENSE[] SEC("license") = "GPL";

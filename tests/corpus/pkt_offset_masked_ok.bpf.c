/* a saved option offset masked to 8 bits before it moves the packet pointer, then checked against data_end: accept */
#include "corpus.h"

#define TC_ACT_OK 0

SEC("tc")
int pkt_offset_masked(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	u8 *opt = data + (skb->cb[1] & 0xff);	/* an offset saved by an earlier program */

	if ((void *)(opt + 1) > data_end)
		return TC_ACT_OK;
	return *opt;
}

char LICENSE[] SEC("license") = "GPL";

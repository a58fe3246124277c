/* a packet pointer advanced by an unbounded 32-bit offset gets no range from its data_end check (the offset may exceed the 64 KiB packet limit): reject "R2 offset is outside of the packet" */
#include "corpus.h"

#define TC_ACT_OK 0

SEC("tc")
int pkt_offset_too_large(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	u8 *opt = data + skb->cb[1];	/* an offset saved by an earlier program */

	if ((void *)(opt + 1) > data_end)
		return TC_ACT_OK;
	return *opt;
}

char LICENSE[] SEC("license") = "GPL";

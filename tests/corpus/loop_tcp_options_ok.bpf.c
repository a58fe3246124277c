/* walking TCP options with a loop bounded by 10 iterations, each option range-checked against data_end: accept */
#include "corpus.h"

#define TC_ACT_OK 0

SEC("tc")
int loop_tcp_options(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct tcphdr *tcp = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
	u8 *opt;
	u32 mss = 0;

	if ((void *)(tcp + 1) > data_end)
		return TC_ACT_OK;
	opt = (u8 *)(tcp + 1);
#pragma clang loop unroll(disable)
	for (int i = 0; i < 10; i++) {
		if ((void *)(opt + 1) > data_end || opt[0] == 0)	/* end of options */
			break;
		if (opt[0] == 1) {	/* NOP */
			opt++;
			continue;
		}
		if ((void *)(opt + 4) > data_end)
			break;
		if (opt[0] == 2 && opt[1] == 4) {	/* MSS */
			mss = opt[2] << 8 | opt[3];
			break;
		}
		if (opt[1] < 2)
			break;
		opt += opt[1] & 0x3f;
	}
	skb->cb[0] = mss;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

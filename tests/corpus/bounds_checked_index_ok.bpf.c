/* a packet-derived index checked against the array size before use: accept */
#include "corpus.h"

SEC("tc")
int bounds_checked_index(struct __sk_buff *skb)
{
	u64 table[8] = {};
	u32 idx = skb->len;

	if (idx >= 8)
		return 0;
	table[idx] = 1;
	return table[0];
}

char LICENSE[] SEC("license") = "GPL";

/* a modulo by a register that may be zero (BPF defines x % 0 = x): accept */
#include "corpus.h"

SEC("tc")
int div_mod_by_zero_reg(struct __sk_buff *skb)
{
	u64 buckets = skb->mark;

	return (skb->hash % buckets) & 0xff;
}

char LICENSE[] SEC("license") = "GPL";

/* a 4-byte context load at offset 2 of __sk_buff (straddling len and pkt_type): reject "invalid bpf_context access off=2 size=4" */
#include "corpus.h"

SEC("socket")
int ctx_unaligned_read(struct __sk_buff *skb)
{
	return *(volatile u32 *)((void *)skb + 2);
}

char LICENSE[] SEC("license") = "GPL";

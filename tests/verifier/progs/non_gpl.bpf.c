/* A program under a non-GPL license: GPL-only helpers are refused, the others are fine. */
#include "common.h"

SEC("tc")
int reads_kernel_memory(struct __sk_buff *skb)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), (void *)(long)skb->mark);
	return v & 1;
}

SEC("tc")
int reads_the_clock(struct __sk_buff *skb)
{
	return bpf_ktime_get_ns() & 1;
}

char LICENSE[] SEC("license") = "Dual BSD/MIT";

/* writing a .rodata (frozen, read-only) global: reject "write into map forbidden" */
#include "corpus.h"

const volatile u32 limit = 10;

SEC("tc")
int global_rodata_write(struct __sk_buff *skb)
{
	*(volatile u32 *)&limit = skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

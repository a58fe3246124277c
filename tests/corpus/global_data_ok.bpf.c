/* counters in .data, .bss and a .rodata constant: accept */
#include "corpus.h"

u64 packets = 1;
u64 bytes;
const volatile u32 scale = 2;

SEC("tc")
int global_data(struct __sk_buff *skb)
{
	packets++;
	bytes += skb->len * scale;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

#include "isa.h"

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

SEC("socket")
int legacy_loads(struct __sk_buff *skb)
{
	u64 off = skb->len & 31;
	return (int)(load_byte(skb, 12) + load_half(skb, 14) + load_word(skb, 26)
		     + load_byte(skb, off) + load_half(skb, off + 2) + load_word(skb, off + 4));
}

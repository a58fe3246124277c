/* __bpf_trap called directly from C: reject "unexpected __bpf_trap() due to uninitialized variable?" */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("tc")
int bpf_trap_direct_call(struct __sk_buff *skb)
{
	if (skb->len > 100000)
		__bpf_trap();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

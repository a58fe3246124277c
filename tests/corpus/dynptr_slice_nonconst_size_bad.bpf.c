/* bpf_dynptr_slice with a size that is not a constant (buffer__szk): reject "R4 must be a known constant" */
#include "corpus.h"

SEC("tc")
int dynptr_slice_nonconst_size(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	char buf[16], *p;
	u32 len = skb->len & 15;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return 0;
	p = bpf_dynptr_slice(&ptr, 0, buf, len);
	return p ? p[0] : 0;
}

char LICENSE[] SEC("license") = "GPL";

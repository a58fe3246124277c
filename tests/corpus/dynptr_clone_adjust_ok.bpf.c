/* bpf_dynptr_clone and bpf_dynptr_adjust of an skb dynptr, then bpf_dynptr_size: accept */
#include "corpus.h"

SEC("tc")
int dynptr_clone_adjust(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr, clone;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return 0;
	if (bpf_dynptr_clone(&ptr, &clone))
		return 0;
	if (bpf_dynptr_adjust(&clone, 14, 34))
		return 0;
	return bpf_dynptr_size(&clone);
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_dynptr_from_skb_meta is tc-only; called from a socket filter: reject "calling kernel function bpf_dynptr_from_skb_meta is not allowed" */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("socket")
int dynptr_from_skb_meta_socket(struct __sk_buff *skb)
{
	struct bpf_dynptr meta;

	if (bpf_dynptr_from_skb_meta(skb, 0, &meta))
		return 0;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

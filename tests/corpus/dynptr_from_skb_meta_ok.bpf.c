/* bpf_dynptr_from_skb_meta in tc and a bpf_dynptr_read of the metadata: accept */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("tc")
int dynptr_from_skb_meta(struct __sk_buff *skb)
{
	struct bpf_dynptr meta;
	__u32 mark = 0;

	if (bpf_dynptr_from_skb_meta(skb, 0, &meta))
		return 0;
	if (bpf_dynptr_read(&mark, sizeof(mark), &meta, 0, 0))
		return 0;
	return mark == 42;
}

char LICENSE[] SEC("license") = "GPL";

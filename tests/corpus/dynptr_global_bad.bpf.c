/* bpf_dynptr_from_skb into a global (not the stack): reject "arg#2 expected pointer to stack or const struct bpf_dynptr" */
#include "corpus.h"

struct bpf_dynptr global_ptr;

SEC("tc")
int dynptr_global(struct __sk_buff *skb)
{
	bpf_dynptr_from_skb(skb, 0, &global_ptr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

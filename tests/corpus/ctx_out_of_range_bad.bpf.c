/* reading past the end of struct __sk_buff: reject "invalid bpf_context access" */
#include "corpus.h"

SEC("tc")
int ctx_out_of_range(struct __sk_buff *skb)
{
	return *(u32 *)((char *)skb + sizeof(*skb));
}

char LICENSE[] SEC("license") = "GPL";

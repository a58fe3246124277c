/* writing the read-only skb->len field in tc: reject "invalid bpf_context access" */
#include "corpus.h"

SEC("tc")
int ctx_write_readonly_field(struct __sk_buff *skb)
{
	skb->len = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a pointer passed as bpf_strnlen's scalar count: reject "R2 is not a scalar" */
#include "corpus.h"

SEC("tc")
int string_strnlen_pointer_count(struct __sk_buff *skb)
{
	char buf[8] = "abc";

	return bpf_strnlen(buf, (size_t)buf);
}

char LICENSE[] SEC("license") = "GPL";

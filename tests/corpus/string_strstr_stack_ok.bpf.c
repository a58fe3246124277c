/* bpf_strstr and bpf_strchr on a stack buffer filled from the packet: accept */
#include "corpus.h"

SEC("tc")
int string_strstr_stack(struct __sk_buff *skb)
{
	char buf[16] = {};

	bpf_skb_load_bytes(skb, 0, buf, sizeof(buf) - 1);
	return bpf_strstr(buf, "GET") + bpf_strchr(buf, ' ');
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_dynptr_slice of a dynptr that was never initialised: reject "Expected an initialized dynptr as arg #0" */
#include "corpus.h"

SEC("tc")
int dynptr_uninit_slice(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	char buf[4], *p;

	__builtin_memset(&ptr, 0, sizeof(ptr));
	p = bpf_dynptr_slice(&ptr, 0, buf, sizeof(buf));
	return p ? p[0] : 0;
}

char LICENSE[] SEC("license") = "GPL";

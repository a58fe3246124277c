/* a bpf_loop callback returning 5 (must be 0 or 1): reject "At callback return the register R0 has" */
#include "corpus.h"

static long bad_ret(u64 index, void *data)
{
	return 5;
}

SEC("tc")
int callback_bad_return(struct __sk_buff *skb)
{
	bpf_loop(10, bad_ret, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

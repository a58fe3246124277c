/* a bpf_loop callback writing through a NULL context pointer: reject "invalid mem access 'scalar'" */
#include "corpus.h"

static long store(u64 index, void *data)
{
	*(u64 *)data = index;
	return 0;
}

SEC("tc")
int callback_ctx_null_deref(struct __sk_buff *skb)
{
	bpf_loop(10, store, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

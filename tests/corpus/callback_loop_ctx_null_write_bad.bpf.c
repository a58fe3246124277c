/* a bpf_loop callback writes through its ctx argument while the caller passed NULL: reject "R2 invalid mem access 'scalar'" */
#include "corpus.h"

static int add_one(u64 index, void *ctx)
{
	*(u64 *)ctx += index;
	return 0;
}

SEC("tc")
int callback_loop_ctx_null_write(struct __sk_buff *skb)
{
	bpf_loop(8, add_one, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

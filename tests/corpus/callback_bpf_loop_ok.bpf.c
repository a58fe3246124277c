/* bpf_loop with a callback summing into a context struct on the stack: accept */
#include "corpus.h"

struct loop_ctx {
	u64 sum;
};

static long add_index(u64 index, void *data)
{
	struct loop_ctx *c = data;

	c->sum += index;
	return 0;
}

SEC("tc")
int callback_bpf_loop(struct __sk_buff *skb)
{
	struct loop_ctx c = {};

	bpf_loop(100, add_index, &c, 0);
	return c.sum > 10;
}

char LICENSE[] SEC("license") = "GPL";

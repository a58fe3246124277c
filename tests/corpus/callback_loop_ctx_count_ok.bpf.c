/* bpf_loop with an iteration count read from the packet's context (the callback is verified once, the count is a runtime value): accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct crc_ctx {
	struct __sk_buff *skb;
	u32 crc;
};

static long crc_step(u64 i, struct crc_ctx *c)
{
	u8 byte;

	if (bpf_skb_load_bytes(c->skb, i, &byte, 1))
		return 1;
	c->crc = (c->crc << 5) + c->crc + byte;
	return 0;
}

SEC("tc")
int callback_loop_ctx_count(struct __sk_buff *skb)
{
	struct crc_ctx c = { .skb = skb, .crc = 5381 };

	bpf_loop(skb->len, crc_step, &c, 0);
	skb->cb[0] = c.crc;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* a global function whose pointer argument is tagged arg:nonnull reads it without a NULL check: accept */
#include "corpus.h"

#define TC_ACT_OK 0
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))

struct pkt_summary {
	u32 len;
	u32 proto;
};

__noinline int summary_is_small_v6(struct pkt_summary *s __arg_nonnull)
{
	return s->proto == 0xdd86 && s->len < 128;
}

SEC("tc")
int subprog_global_nonnull_arg(struct __sk_buff *skb)
{
	struct pkt_summary s = { .len = skb->len, .proto = skb->protocol };

	return summary_is_small_v6(&s) ? 1 : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

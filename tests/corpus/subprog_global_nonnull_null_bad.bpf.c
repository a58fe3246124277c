/* NULL passed for a global function argument tagged arg:nonnull ("arg#0 is expected to be non-NULL" first): reject "Caller passes invalid args into func#1 ('summary_is_small_v6')" */
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
int subprog_global_nonnull_null(struct __sk_buff *skb)
{
	struct pkt_summary *none = NULL;

	barrier_var(none);
	return summary_is_small_v6(none) ? 1 : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* a static subprogram filling the caller's stack struct from a map value pointer it is passed: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct rate_cfg {
	u64 bytes_per_sec;
	u32 burst;
	u32 flags;
};

struct rate_state {
	u64 tokens;
	u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct rate_cfg);
} rate_cfg SEC(".maps");

static __noinline void refill(const struct rate_cfg *cfg, struct rate_state *st, u64 now)
{
	u64 add = (now - st->last_ns) * cfg->bytes_per_sec / 1000000000;

	st->tokens += add;
	if (st->tokens > cfg->burst)
		st->tokens = cfg->burst;
	st->last_ns = now;
}

SEC("tc")
int subprog_static_ptr_args(struct __sk_buff *skb)
{
	u32 key = 0;
	struct rate_cfg *cfg = bpf_map_lookup_elem(&rate_cfg, &key);
	struct rate_state st = { .tokens = 0, .last_ns = 0 };

	if (!cfg)
		return TC_ACT_OK;
	refill(cfg, &st, bpf_ktime_get_ns());
	return st.tokens >= skb->len ? TC_ACT_OK : 2;
}

char LICENSE[] SEC("license") = "GPL";

/* a perf_event program reads sample_period and addr from its bpf_perf_event_data context: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, u64);
} samples_by_addr SEC(".maps");

SEC("perf_event")
int ctx_perf_event_read(struct bpf_perf_event_data *ctx)
{
	u64 addr = ctx->addr, one = 1;
	u64 *n;

	if (ctx->sample_period == 0)
		return 0;
	n = bpf_map_lookup_elem(&samples_by_addr, &addr);
	if (n)
		__sync_fetch_and_add(n, ctx->sample_period);
	else
		bpf_map_update_elem(&samples_by_addr, &addr, &one, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

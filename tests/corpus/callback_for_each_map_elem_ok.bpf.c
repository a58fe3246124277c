/* bpf_for_each_map_elem sums a hash map's values into a stack context and stops once the total is large (callback returns 1): accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, u64);
} bytes_by_port SEC(".maps");

struct sum_ctx {
	u64 total;
	u32 visited;
};

static long add_bytes(struct bpf_map *map, u32 *port, u64 *bytes, struct sum_ctx *ctx)
{
	ctx->total += *bytes;
	ctx->visited++;
	return ctx->total >= (1ULL << 40);	/* 1 stops the walk */
}

SEC("perf_event")
int callback_for_each_map_elem(struct bpf_perf_event_data *pe)
{
	struct sum_ctx ctx = {};

	bpf_for_each_map_elem(&bytes_by_port, add_bytes, &ctx, 0);
	bpf_printk("%llu bytes over %u ports", ctx.total, ctx.visited);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

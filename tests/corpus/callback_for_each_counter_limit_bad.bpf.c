/* a bpf_for_each_map_elem callback stopping after 64 elements by comparing a counter in its context (the verifier re-walks the callback with each counter value): reject "BPF program is too large. Processed 1000001 insn" */
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
	return ctx->visited >= 64;	/* 1 stops the walk */
}

SEC("perf_event")
int callback_for_each_counter_limit(struct bpf_perf_event_data *pe)
{
	struct sum_ctx ctx = {};

	bpf_for_each_map_elem(&bytes_by_port, add_bytes, &ctx, 0);
	bpf_printk("%llu bytes over %u ports", ctx.total, ctx.visited);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_perf_event_output of a stack record from a perf_event program: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} out SEC(".maps");

SEC("perf_event")
int perf_event_output(struct bpf_perf_event_data *ctx)
{
	u64 period = ctx->sample_period;

	bpf_perf_event_output(ctx, &out, BPF_F_CURRENT_CPU, &period, sizeof(period));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a perf_event program writing sample_period in its context (read-only): reject "invalid bpf_context access off=168 size=8" */
#include "corpus.h"

SEC("perf_event")
int ctx_perf_event_write(struct bpf_perf_event_data *ctx)
{
	if (ctx->sample_period > 100000)
		ctx->sample_period = 100000;	/* throttle: not how it is done */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

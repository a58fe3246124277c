/* bpf_get_current_task from XDP (a base helper for a CAP_PERFMON loader): accept */
#include "corpus.h"

SEC("xdp")
int helper_xdp_current_task(struct xdp_md *ctx)
{
	return bpf_get_current_task() ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

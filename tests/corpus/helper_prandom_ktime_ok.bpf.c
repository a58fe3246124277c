/* bpf_get_prandom_u32 and bpf_ktime_get_ns in XDP: accept */
#include "corpus.h"

SEC("xdp")
int helper_prandom_ktime(struct xdp_md *ctx)
{
	return (bpf_get_prandom_u32() ^ bpf_ktime_get_ns()) & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

/* Static and global subprograms, a bpf_loop callback, and several programs per section. */
#include "common.h"

static __attribute__((noinline)) int add_static(int a, int b)
{
	return a + b;
}

__attribute__((noinline)) int add_global(int a)
{
	return add_static(a, 3) * 2;
}

static long loop_cb(__u64 index, void *ctx)
{
	*(long *)ctx += index;
	return 0;
}

SEC("xdp")
int first(struct xdp_md *ctx)
{
	long sum = 0;

	bpf_loop(8, loop_cb, &sum, 0);
	return add_global(ctx->ingress_ifindex) + add_static(1, sum);
}

SEC("xdp")
int second(struct xdp_md *ctx)
{
	return add_static(ctx->rx_queue_index, 2) > 0 ? XDP_PASS : XDP_DROP;
}

SEC("syscall")
int third(void *ctx)
{
	return add_global(1);
}

char _license[] SEC("license") = "GPL";

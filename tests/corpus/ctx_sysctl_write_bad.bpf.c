/* a cgroup/sysctl program writes its context's write flag: reject "invalid bpf_context access off=0 size=4" */
#include "corpus.h"

SEC("cgroup/sysctl")
int ctx_sysctl_write(struct bpf_sysctl *ctx)
{
	ctx->write = 0;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

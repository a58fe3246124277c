/* bpf_rcu_read_lock/unlock (common set) in XDP: accept */
#include "corpus.h"

SEC("xdp")
int progtype_rcu_in_xdp(struct xdp_md *ctx)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

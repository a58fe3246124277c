/* bpf_xdp_adjust_head (an XDP helper) called from tc: reject "program of this type cannot use helper bpf_xdp_adjust_head#44" */
#include "corpus.h"

SEC("tc")
int helper_tc_xdp_adjust_head(struct __sk_buff *skb)
{
	return bpf_xdp_adjust_head((struct xdp_md *)skb, 14) ? 2 : 0;
}

char LICENSE[] SEC("license") = "GPL";

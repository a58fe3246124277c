/* a kprobe on a network function calling bpf_skb_load_bytes on the skb argument (a networking helper): reject "program of this type cannot use helper bpf_skb_load_bytes#26" */
#include "corpus.h"

SEC("kprobe/ip_rcv")
int helper_kprobe_skb_load_bytes(struct pt_regs *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)PT_REGS_PARM1(ctx);
	struct iphdr ip;

	if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)))
		return 0;
	return ip.protocol == 6;
}

char LICENSE[] SEC("license") = "GPL";

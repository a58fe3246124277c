/* a global function taking a 16-byte struct pointer is passed a 4-byte stack variable ("invalid read from stack R1 off=-4 size=16" first): reject "Caller passes invalid args into func#1 ('flow_is_dns')" */
#include "corpus.h"

#define TC_ACT_OK 0

struct flow_id {
	u32 saddr;
	u32 daddr;
	u16 sport;
	u16 dport;
	u32 proto;
};

__noinline int flow_is_dns(struct flow_id *f)
{
	if (!f)
		return 0;
	return f->dport == 53 || f->sport == 53;
}

SEC("tc")
int subprog_global_mem_too_small(struct __sk_buff *skb)
{
	u32 port = skb->mark & 0xffff;	/* a port stashed in the mark */

	barrier_var(port);
	/* passes the port where the whole flow id is expected */
	return flow_is_dns((struct flow_id *)&port) ? 2 : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* tc reading skb->remote_ip4 (the socket fields family..local_port are not tc context): reject "invalid bpf_context access off=92 size=4" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, u64);
} peers SEC(".maps");

SEC("tc")
int ctx_tc_socket_field(struct __sk_buff *skb)
{
	u32 peer = skb->remote_ip4;	/* fine in cgroup_skb, not in tc */
	u64 *bytes = bpf_map_lookup_elem(&peers, &peer);

	if (bytes)
		*bytes += skb->len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

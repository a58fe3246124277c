/* cgroup_skb/ingress reads skb->remote_ip4 and skb->local_port (socket fields of its context) and returns 1: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, u64);
} peers SEC(".maps");

SEC("cgroup_skb/ingress")
int ctx_cgroup_skb_socket_field(struct __sk_buff *skb)
{
	u32 peer = skb->remote_ip4;
	u64 *bytes;

	if (skb->family != 2 /* AF_INET */ || skb->local_port != 22)
		return 1;
	bytes = bpf_map_lookup_elem(&peers, &peer);
	if (bytes)
		__sync_fetch_and_add(bytes, skb->len);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

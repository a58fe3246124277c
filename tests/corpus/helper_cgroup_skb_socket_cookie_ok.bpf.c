/* cgroup_skb/egress counting bytes per socket with bpf_get_socket_cookie: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, u64);
	__type(value, u64);
} bytes_by_socket SEC(".maps");

SEC("cgroup_skb/egress")
int helper_cgroup_skb_socket_cookie(struct __sk_buff *skb)
{
	u64 cookie = bpf_get_socket_cookie(skb);
	u64 len = skb->len, *bytes;

	bytes = bpf_map_lookup_elem(&bytes_by_socket, &cookie);
	if (bytes)
		__sync_fetch_and_add(bytes, len);
	else
		bpf_map_update_elem(&bytes_by_socket, &cookie, &len, BPF_NOEXIST);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

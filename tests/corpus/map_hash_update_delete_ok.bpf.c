/* hash map update then delete with stack keys and values: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} seen SEC(".maps");

SEC("tc")
int map_hash_update_delete(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;
	u64 val = skb->len;

	bpf_map_update_elem(&seen, &key, &val, BPF_ANY);
	bpf_map_delete_elem(&seen, &key);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

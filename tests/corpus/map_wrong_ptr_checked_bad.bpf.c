/* two lookups where only the first result is NULL-checked and the second is written: reject "invalid mem access 'map_value_or_null'" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} rx_bytes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} rx_pkts SEC(".maps");

SEC("tc")
int map_wrong_ptr_checked(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;
	u64 *bytes = bpf_map_lookup_elem(&rx_bytes, &key);
	u64 *pkts = bpf_map_lookup_elem(&rx_pkts, &key);

	if (!bytes)	/* pkts is not checked */
		return TC_ACT_OK;
	*bytes += skb->len;
	*pkts += 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* a map value pointer used as the value (and a stack copy as the key) of bpf_map_update_elem: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct limits {
	u64 rate;
	u64 burst;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct limits);
} default_limits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, struct limits);
} iface_limits SEC(".maps");

SEC("tc")
int map_update_from_map_value(struct __sk_buff *skb)
{
	u32 zero = 0, ifindex = skb->ifindex;
	struct limits *def;

	if (bpf_map_lookup_elem(&iface_limits, &ifindex))
		return TC_ACT_OK;
	def = bpf_map_lookup_elem(&default_limits, &zero);
	if (!def)
		return TC_ACT_OK;
	bpf_map_update_elem(&iface_limits, &ifindex, def, BPF_NOEXIST);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

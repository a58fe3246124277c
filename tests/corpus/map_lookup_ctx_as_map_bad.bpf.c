/* the context passed where bpf_map_lookup_elem wants a map (arguments swapped): reject "R1 type=ctx expected=map_ptr" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} rx_bytes SEC(".maps");

SEC("tc")
int map_lookup_ctx_as_map(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;
	void *(*lookup)(void *, const void *) = (void *)bpf_map_lookup_elem;
	u64 *v = lookup(skb, &key);

	return v ? TC_ACT_OK : 2;
}

char LICENSE[] SEC("license") = "GPL";

/* a map value pointer spilled to the stack across a helper call and filled back keeps its type: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct port_counters {
	u64 packets;
	u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, struct port_counters);
} ports SEC(".maps");

SEC("tc")
int spill_map_ptr_fill(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;
	struct port_counters *volatile st;	/* kept in a stack slot */
	struct port_counters *s;

	st = bpf_map_lookup_elem(&ports, &key);
	if (!st)
		return TC_ACT_OK;
	bpf_ktime_get_ns();
	s = st;
	s->packets++;
	s->last_ns = bpf_ktime_get_ns();
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

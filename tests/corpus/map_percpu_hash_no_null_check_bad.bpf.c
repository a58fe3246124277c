/* a per-CPU hash lookup used without a NULL check: reject "invalid mem access 'map_value_or_null'" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

SEC("tc")
int map_percpu_hash_no_null_check(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;
	u64 *count = bpf_map_lookup_elem(&counters, &key);

	*count += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

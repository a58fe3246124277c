/* writing a hash map lookup result without a NULL check: reject "invalid mem access 'map_value_or_null'" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

SEC("tc")
int map_lookup_no_null_check(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counters, &key);

	*v += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

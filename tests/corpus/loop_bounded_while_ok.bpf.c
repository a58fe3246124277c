/* a while loop bounded by both a map value and a constant 64: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} limit SEC(".maps");

SEC("tc")
int loop_bounded_while(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *n = bpf_map_lookup_elem(&limit, &key);
	u64 i = 0, sum = 0;

	if (!n)
		return 0;
	while (i < *n && i < 64) {
		sum += i * skb->len;
		i++;
	}
	return sum & 1;
}

char LICENSE[] SEC("license") = "GPL";

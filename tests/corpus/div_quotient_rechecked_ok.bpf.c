/* len / 100 re-checked against the histogram size after the division: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[16]);
} size_hist SEC(".maps");

SEC("tc")
int div_quotient_rechecked(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *hist = bpf_map_lookup_elem(&size_hist, &key);
	u64 bucket = skb->len / 100;

	if (!hist)
		return TC_ACT_OK;
	if (bucket > 15)
		bucket = 15;
	hist[bucket]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

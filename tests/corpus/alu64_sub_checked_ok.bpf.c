/* payload length len - 14 computed only after len >= 14 and len < 270 are checked: accept */
#include "corpus.h"

#define TC_ACT_OK 0
#define ETH_HLEN 14

struct payload_hist {
	u8 bucket[256];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct payload_hist);
} payload_sizes SEC(".maps");

SEC("tc")
int alu64_sub_checked(struct __sk_buff *skb)
{
	u32 key = 0;
	struct payload_hist *h = bpf_map_lookup_elem(&payload_sizes, &key);
	u64 len = skb->len;

	if (!h)
		return TC_ACT_OK;
	if (len < ETH_HLEN || len >= ETH_HLEN + 256)
		return TC_ACT_OK;
	h->bucket[len - ETH_HLEN]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

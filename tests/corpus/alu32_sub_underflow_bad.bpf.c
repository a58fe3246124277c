/* a 32-bit subtraction (len - 14) that wraps for short packets, used as a map value offset: reject "R0 unbounded memory access, make sure to bounds check any such access" */
#include "corpus.h"

#define TC_ACT_OK 0

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
int alu32_sub_underflow(struct __sk_buff *skb)
{
	u32 key = 0;
	struct payload_hist *h = bpf_map_lookup_elem(&payload_sizes, &key);
	register u64 payload asm("r6") = skb->len;

	if (!h)
		return TC_ACT_OK;
	/* the bug: len is checked from above only, so len - 14 wraps below 14 */
	if (payload > 255 + 14)
		return TC_ACT_OK;
	asm volatile("w6 -= 14" : "+r"(payload));
	h->bucket[payload]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* len / 100 with len < 1600 indexes a 16-slot histogram (the verifier does not bound a quotient): reject "math between map_value pointer and register with unbounded min value is not allowed" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[16]);
} size_hist SEC(".maps");

SEC("tc")
int div_unsigned_result(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *hist = bpf_map_lookup_elem(&size_hist, &key);
	u64 len = skb->len;

	if (!hist || len >= 1600)
		return TC_ACT_OK;
	hist[len / 100]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* negating a bounded index (0..7 becomes -7..0) and using it as an offset: reject "R0 min value is negative, either use unsigned index or do a if (index >=0) check." */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[8]);
} ring SEC(".maps");

SEC("tc")
int alu_neg_index(struct __sk_buff *skb)
{
	u32 key = 0;
	u8 *r = bpf_map_lookup_elem(&ring, &key);
	s64 pos = skb->queue_mapping & 7;

	if (!r)
		return TC_ACT_OK;
	barrier_var(pos);
	pos = -pos;	/* meant 7 - pos */
	r[pos] = 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

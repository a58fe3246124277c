/* a lookup result spilled before its NULL check: the check on the register also clears the spilled copy: accept */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, u32);
	__type(value, u64);
} marks SEC(".maps");

SEC("tc")
int spill_null_check_propagates(struct __sk_buff *skb)
{
	u32 key = skb->mark;
	u64 *volatile saved;
	u64 *v;

	v = bpf_map_lookup_elem(&marks, &key);
	saved = v;	/* spilled while still map_value_or_null */
	if (!v)
		return TC_ACT_OK;
	*saved += skb->len;	/* filled: map_value */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* pointer arithmetic on a lookup result before its NULL check (&v->field): reject "R1 pointer arithmetic on map_value_or_null prohibited, null-check it first" */
#include "corpus.h"

#define TC_ACT_OK 0

struct iface_stats {
	u64 rx;
	u64 tx;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, struct iface_stats);
} ifaces SEC(".maps");

SEC("tc")
int map_null_ptr_arith(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;
	struct iface_stats *st = bpf_map_lookup_elem(&ifaces, &key);
	u64 *tx;

	tx = &st->tx;
	barrier_var(tx);
	if (!st)
		return TC_ACT_OK;
	*tx += skb->len;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

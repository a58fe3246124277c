/* map lookup with a never-written stack key is allowed for a privileged (CAP_PERFMON) loader: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

SEC("tc")
int map_key_uninit(struct __sk_buff *skb)
{
	u32 key;
	u64 *v;

	asm volatile("" : "=m"(key));
	v = bpf_map_lookup_elem(&counters, &key);
	return v ? *v : 0;
}

char LICENSE[] SEC("license") = "GPL";

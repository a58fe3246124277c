/* a load from an array map created with BPF_F_RDONLY_PROG: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, u32);
	__type(value, u64);
} cfg_map SEC(".maps");

SEC("tc")
int map_rdonly_prog_read(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&cfg_map, &key);

	if (!v)
		return 0;
	return *v == skb->len;
}

char LICENSE[] SEC("license") = "GPL";

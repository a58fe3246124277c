/* a store into an array map created with BPF_F_RDONLY_PROG: reject "write into map forbidden, value_size=8 off=0 size=8" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, u32);
	__type(value, u64);
} cfg_map SEC(".maps");

SEC("tc")
int map_rdonly_prog_write(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&cfg_map, &key);

	if (!v)
		return 0;
	*v = skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

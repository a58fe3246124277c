/* a 4-byte stack key passed to a map whose key is 8 bytes (the helper reads past the variable): reject "invalid read from stack R2 off=-4 size=8" */
#include "corpus.h"

#define TC_ACT_OK 0

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);	/* cookie */
	__type(value, u64);
} by_cookie SEC(".maps");

SEC("tc")
int map_key_too_small(struct __sk_buff *skb)
{
	u32 mark = skb->mark;
	u64 *v;

	barrier_var(mark);
	v = bpf_map_lookup_elem(&by_cookie, &mark);
	return v ? TC_ACT_OK : 2;
}

char LICENSE[] SEC("license") = "GPL";

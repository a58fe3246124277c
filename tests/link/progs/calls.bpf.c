/* Subprograms (static and global), callbacks, maps and global data shared by programs. */
#include "link.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

const volatile __u32 limit = 7;
__u64 total = 3;
__u64 zeroed;

static __noinline int add_twice(int x)
{
	return x + x + limit;
}

__noinline_global int global_helper(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	return skb->len > limit;
}

static int loop_body(__u32 i, void *data)
{
	__u64 *acc = data;

	*acc += i;
	return 0;
}

SEC("tc")
int first(struct __sk_buff *skb)
{
	__u32 key = 1;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	__u64 acc = 0;

	if (v)
		*v += add_twice(skb->len);
	bpf_loop(limit, loop_body, &acc, 0);
	total += acc;
	return global_helper(skb);
}

SEC("tc")
int second(struct __sk_buff *skb)
{
	zeroed = add_twice(2);
	return 0;
}

SEC("socket")
int bad_read(struct __sk_buff *skb)
{
	__u32 key = 2;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);

	return *v; /* no NULL check */
}

char _license[] SEC("license") = "GPL";

/* Several programs in one object, as real projects and the kernel's tests have them: each gets
 * its own verdict, and one that cannot be checked does not hide the others. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

extern void bpf_no_such_kfunc(void) __ksym;

SEC("tc")
int count_packets(struct __sk_buff *skb)
{
	__u32 key = skb->len & 3;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);

	if (v)
		*v += 1;
	return 0;
}

SEC("tc")
int unchecked_value(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);

	*v += 1;	/* no NULL check */
	return 0;
}

SEC("tc")
int missing_kfunc(struct __sk_buff *skb)
{
	bpf_no_such_kfunc();
	return 0;
}

SEC("xdp")
int pass_all(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

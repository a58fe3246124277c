/* a maybe-NULL map value passed to a global function whose pointer argument is not nullable: reject "Caller passes invalid args into func#1 ('bump')" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

__noinline int bump(u64 *v __attribute__((btf_decl_tag("arg:nonnull"))))
{
	*v += 1;
	return 0;
}

SEC("tc")
int subprog_global_maybe_null_arg(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;

	return bump(bpf_map_lookup_elem(&stats, &key));
}

char LICENSE[] SEC("license") = "GPL";

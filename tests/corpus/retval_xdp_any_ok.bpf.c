/* XDP returning an action read from a map (any value; unknown actions are handled at run time): accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} default_action SEC(".maps");

SEC("xdp")
int retval_xdp_any(struct xdp_md *ctx)
{
	u32 key = 0;
	u32 *action = bpf_map_lookup_elem(&default_action, &key);

	return action ? *action : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

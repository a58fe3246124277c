/* bpf_ktime_get_ns called while a bpf_spin_lock is held (no helper calls under a lock): reject "function calls are not allowed while holding a lock" */
#include "corpus.h"

#define TC_ACT_OK 0

struct rate_state {
	struct bpf_spin_lock lock;
	u64 tokens;
	u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, struct rate_state);
} rates SEC(".maps");

SEC("tc")
int spin_lock_helper_under_lock(struct __sk_buff *skb)
{
	u32 key = skb->ifindex;
	struct rate_state *rs = bpf_map_lookup_elem(&rates, &key);
	int drop = 0;

	if (!rs)
		return TC_ACT_OK;
	bpf_spin_lock(&rs->lock);
	rs->tokens += (bpf_ktime_get_ns() - rs->last_ns) >> 10;	/* read the clock before locking */
	if (rs->tokens < skb->len)
		drop = 1;
	else
		rs->tokens -= skb->len;
	bpf_spin_unlock(&rs->lock);
	return drop ? 2 : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

/* a bpf_timer callback returning 1 ("re-arm", as in other APIs; timer callbacks must return 0): reject "At async callback return the register R0 has smin=1 smax=1 should have been in [0, 0]" */
#include "corpus.h"

#define TC_ACT_OK 0
#define CLOCK_MONOTONIC 1

struct flow_timer {
	struct bpf_timer timer;
	u64 last_seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct flow_timer);
} gc_timer SEC(".maps");

static int gc_tick(void *map, u32 *key, struct flow_timer *ft)
{
	ft->last_seen = bpf_ktime_get_ns();
	return 1;
}

SEC("tc")
int callback_timer_return(struct __sk_buff *skb)
{
	u32 key = 0;
	struct flow_timer *ft = bpf_map_lookup_elem(&gc_timer, &key);

	if (!ft)
		return TC_ACT_OK;
	bpf_timer_init(&ft->timer, &gc_timer, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&ft->timer, gc_tick);
	bpf_timer_start(&ft->timer, 1000000000, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

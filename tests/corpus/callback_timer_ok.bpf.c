/* a bpf_timer in a hash map value: bpf_timer_init, bpf_timer_set_callback (callback returns 0) and bpf_timer_start: accept */
#include "corpus.h"

#define TC_ACT_OK 0
#define CLOCK_MONOTONIC 1

struct flow_timer {
	struct bpf_timer timer;
	u64 last_seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, struct flow_timer);
} flow_timers SEC(".maps");

static int expire_flow(void *map, u32 *key, struct flow_timer *ft)
{
	if (bpf_ktime_get_ns() - ft->last_seen > 30ULL * 1000000000)
		bpf_map_delete_elem(map, key);
	return 0;
}

SEC("tc")
int callback_timer(struct __sk_buff *skb)
{
	u32 key = skb->hash;
	struct flow_timer init = {}, *ft;

	ft = bpf_map_lookup_elem(&flow_timers, &key);
	if (ft) {
		ft->last_seen = bpf_ktime_get_ns();
		return TC_ACT_OK;
	}
	init.last_seen = bpf_ktime_get_ns();
	bpf_map_update_elem(&flow_timers, &key, &init, BPF_NOEXIST);
	ft = bpf_map_lookup_elem(&flow_timers, &key);
	if (!ft)
		return TC_ACT_OK;
	bpf_timer_init(&ft->timer, &flow_timers, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&ft->timer, expire_flow);
	bpf_timer_start(&ft->timer, 30ULL * 1000000000, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

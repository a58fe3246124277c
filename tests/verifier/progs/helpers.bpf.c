/* Helpers with special rules: tail calls (the map must be a prog array, nothing may be held
 * across), helpers that take a map of one type, helpers that move the packet. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tc")
int tail_call_ok(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jumps, skb->mark & 3);
	return 0;
}

SEC("tc")
int tail_call_holding_ringbuf(struct __sk_buff *skb)
{
	void *rec = bpf_ringbuf_reserve(&events, 8, 0);

	if (!rec)
		return 0;
	bpf_tail_call(skb, &jumps, 0);
	bpf_ringbuf_discard(rec, 0);
	return 0;
}

SEC("tc")
int tail_call_into_array(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &counts, 0);
	return 0;
}

SEC("tc")
int perf_output_into_array(struct __sk_buff *skb)
{
	__u64 v = skb->len;

	bpf_perf_event_output(skb, &counts, 0, &v, sizeof(v));
	return 0;
}

SEC("tc")
int packet_read_after_pull(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;

	if (data + 4 > end)
		return 0;
	bpf_skb_pull_data(skb, 64);
	return *(__u32 *)data & 1;
}

SEC("tc")
int packet_reloaded_after_pull(struct __sk_buff *skb)
{
	void *data, *end;

	bpf_skb_pull_data(skb, 64);
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if (data + 4 > end)
		return 0;
	return *(__u32 *)data & 1;
}

SEC("socket")
int redirect_from_socket_filter(struct __sk_buff *skb)
{
	return bpf_redirect(1, 0);
}

char LICENSE[] SEC("license") = "GPL";

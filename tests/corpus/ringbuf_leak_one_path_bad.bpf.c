/* a ringbuf record submitted on one path and forgotten on the other: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tc")
int ringbuf_leak_one_path(struct __sk_buff *skb)
{
	u32 *rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);

	if (!rec)
		return 0;
	*rec = skb->len;
	if (skb->len < 64)
		return 0;
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

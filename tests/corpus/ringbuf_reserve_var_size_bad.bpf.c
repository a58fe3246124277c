/* bpf_ringbuf_reserve with a size computed at run time (the size must be a known constant): reject "R2 is not a known constant" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} samples SEC(".maps");

SEC("tc")
int ringbuf_reserve_var_size(struct __sk_buff *skb)
{
	u32 snap = skb->len < 128 ? skb->len : 128;
	void *rec = bpf_ringbuf_reserve(&samples, snap, 0);

	if (!rec)
		return 0;
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

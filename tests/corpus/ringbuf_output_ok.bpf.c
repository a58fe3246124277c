/* bpf_ringbuf_output copies a stack record of a bounded variable length (no reservation to release): accept */
#include "corpus.h"

struct pkt_sample {
	u32 len;
	u8 head[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} samples SEC(".maps");

SEC("tc")
int ringbuf_output(struct __sk_buff *skb)
{
	struct pkt_sample s = {};
	u64 snap = skb->len;

	s.len = snap;
	if (snap > sizeof(s.head))
		snap = sizeof(s.head);
	barrier_var(snap);	/* keep clang from re-reading skb->len */
	if (snap && bpf_skb_load_bytes(skb, 0, s.head, snap))
		return 0;
	bpf_ringbuf_output(&samples, &s, sizeof(s.len) + snap, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

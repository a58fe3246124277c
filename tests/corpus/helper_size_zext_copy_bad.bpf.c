/* a u32 snap length clamped to 64 whose non-zero test clang makes on a zero-extended copy (<<32 >>32), so the size register passed to bpf_skb_load_bytes may still be 0: reject "R4 invalid zero-sized read: u64=[0,63]" */
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
int helper_size_zext_copy(struct __sk_buff *skb)
{
	struct pkt_sample s = {};
	u32 snap = skb->len;

	s.len = snap;
	if (snap > sizeof(s.head))
		snap = sizeof(s.head);
	barrier_var(snap);
	if (snap && bpf_skb_load_bytes(skb, 0, s.head, snap))
		return 0;
	bpf_ringbuf_output(&samples, &s, sizeof(s.len) + snap, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

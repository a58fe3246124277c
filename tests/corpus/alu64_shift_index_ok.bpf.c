/* the top 4 bits of a 64-bit hash (h >> 60) index a 16-slot table: accept */
#include "corpus.h"

struct flow_buckets {
	u32 count[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct flow_buckets);
} flow_buckets SEC(".maps");

SEC("xdp")
int alu64_shift_index(struct xdp_md *ctx)
{
	u32 key = 0;
	struct flow_buckets *fb = bpf_map_lookup_elem(&flow_buckets, &key);
	u64 h;

	if (!fb)
		return XDP_PASS;
	h = bpf_get_prandom_u32();
	h = (h << 32 | ctx->rx_queue_index) * 0x9e3779b97f4a7c15ULL;
	fb->count[h >> 60]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

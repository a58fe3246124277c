/* data_end - data (a pointer difference) is a scalar the program may keep and compare: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} small_frames SEC(".maps");

SEC("xdp")
int alu_pkt_ptr_diff(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	u64 len = data_end - data;
	u32 key = 0;
	u64 *n;

	if (len >= 64)
		return XDP_PASS;
	n = bpf_map_lookup_elem(&small_frames, &key);
	if (n)
		*n += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

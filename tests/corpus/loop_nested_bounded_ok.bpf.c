/* two nested constant-bounded loops (4 x 8) summing a 2-D table in a map value: accept */
#include "corpus.h"

struct matrix {
	u32 cell[4][8];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct matrix);
} weights SEC(".maps");

SEC("xdp")
int loop_nested_bounded(struct xdp_md *ctx)
{
	u32 key = 0, sum = 0;
	struct matrix *m = bpf_map_lookup_elem(&weights, &key);

	if (!m)
		return XDP_PASS;
	for (int row = 0; row < 4; row++) {
#pragma clang loop unroll(disable)
		for (int col = 0; col < 8; col++)
			sum += m->cell[row][col];
	}
	return sum > 1000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

/* a bpf_for_each_map_elem callback returning -1 on error (it must return 0 or 1): reject "At callback return the register R0 has smin=-1 smax=-1 should have been in [0, 1]" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, u64);
} bytes_by_port SEC(".maps");

static long check_bytes(struct bpf_map *map, u32 *port, u64 *bytes, u64 *limit)
{
	if (*bytes > *limit)
		return -1;	/* errno-style, not continue/stop */
	return 0;
}

SEC("perf_event")
int callback_for_each_bad_return(struct bpf_perf_event_data *pe)
{
	u64 limit = 1 << 30;

	bpf_for_each_map_elem(&bytes_by_port, check_bytes, &limit, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a bpf_for_each_map_elem callback writing through its key pointer (the key is read-only): reject "write to change key R2 not allowed" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, u64);
} bytes_by_port SEC(".maps");

static long renumber(struct bpf_map *map, u32 *port, u64 *bytes, void *ctx)
{
	if (*port >= 32768)
		*port -= 32768;	/* meant to update a copy */
	return 0;
}

SEC("perf_event")
int callback_for_each_write_key(struct bpf_perf_event_data *pe)
{
	bpf_for_each_map_elem(&bytes_by_port, renumber, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

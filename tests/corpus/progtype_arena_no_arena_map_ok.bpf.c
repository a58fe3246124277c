/* bpf_arena_alloc_pages in a syscall program that uses no arena map (an array map passed as the arena; upstream 6.18 registers the arena kfuncs without a filter): accept; 6.18.44-fc-v1272: reject "calling kernel function bpf_arena_alloc_pages is not allowed" */
#include "corpus.h"

extern void *bpf_arena_alloc_pages(void *p__map, void *addr__ign, u32 page_cnt, int node_id,
				   u64 flags) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} not_an_arena SEC(".maps");

SEC("syscall")
int arena_alloc_no_arena_map(void *ctx)
{
	void *page = bpf_arena_alloc_pages(&not_an_arena, NULL, 1, -1, 0);

	return page ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";

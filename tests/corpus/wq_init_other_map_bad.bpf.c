/* bpf_wq_init given a map other than the one holding the bpf_wq: reject "workqueue pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0" */
#include "corpus.h"

struct wq_elem {
	struct bpf_wq work;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} wq_map SEC(".maps"), other_map SEC(".maps");

SEC("tc")
int wq_init_other_map(struct __sk_buff *skb)
{
	struct wq_elem *elem;
	int key = 0;

	elem = bpf_map_lookup_elem(&wq_map, &key);
	if (!elem)
		return 0;
	bpf_wq_init(&elem->work, &other_map, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

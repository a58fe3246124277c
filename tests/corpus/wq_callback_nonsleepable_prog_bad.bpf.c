/* a bpf_wq callback (sleepable) set from a non-sleepable tc program: reject "kfunc bpf_wq_set_callback_impl#65551 failed callback verification" */
#include "corpus.h"

struct wq_elem {
	struct bpf_wq work;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} wq_map SEC(".maps");

static int wq_callback(void *map, int *key, void *value)
{
	return 0;
}

SEC("tc")
int wq_callback_nonsleepable_prog(struct __sk_buff *skb)
{
	struct wq_elem *elem;
	int key = 0;

	elem = bpf_map_lookup_elem(&wq_map, &key);
	if (!elem)
		return 0;
	if (bpf_wq_init(&elem->work, &wq_map, 0))
		return 0;
	if (bpf_wq_set_callback_impl(&elem->work, wq_callback, 0, NULL))
		return 0;
	bpf_wq_start(&elem->work, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_obj_drop of a map value (not a bpf_obj_new object, so not referenced): reject "R1 must be referenced or trusted" */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct obj);
} objs SEC(".maps");

SEC("tc")
int obj_drop_not_allocated(struct __sk_buff *skb)
{
	int key = 0;
	struct obj *o = bpf_map_lookup_elem(&objs, &key);

	if (o)
		bpf_obj_drop(o);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a global function (verified once, on its own) updating a map value passed as a nullable pointer argument: accept */
#include "corpus.h"

struct lat_hist {
	u64 slot[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct lat_hist);
} hist SEC(".maps");

__noinline int hist_add(struct lat_hist *h, u64 delta)
{
	u32 log2 = 0;

	if (!h)
		return 0;
	while (delta > 1 && log2 < 31) {
		delta >>= 1;
		log2++;
	}
	h->slot[log2 & 31]++;
	return log2;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(subprog_global_map_value_arg, struct task_struct *p)
{
	u32 key = 0;

	hist_add(bpf_map_lookup_elem(&hist, &key), bpf_ktime_get_ns() - p->se.exec_start);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

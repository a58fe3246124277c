/* a global function returning void (this build supports only global functions returning a scalar; "Global function hist_add() doesn't return scalar" first): reject "Caller passes invalid args into func#1 ('hist_add')" */
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

__noinline void hist_add(struct lat_hist *h, u64 delta)
{
	u32 log2 = 0;

	if (!h)
		return;
	while (delta > 1 && log2 < 31) {
		delta >>= 1;
		log2++;
	}
	h->slot[log2 & 31]++;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(subprog_global_void, struct task_struct *p)
{
	u32 key = 0;

	hist_add(bpf_map_lookup_elem(&hist, &key), bpf_ktime_get_ns() - p->se.exec_start);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

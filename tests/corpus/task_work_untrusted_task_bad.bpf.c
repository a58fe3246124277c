/* bpf_task_work_schedule_signal_impl (KF_TRUSTED_ARGS) given a task walked through two pointers from the current task (untrusted): reject "R1 must be referenced or trusted" */
#include "corpus.h"
#include "kfuncs_families.h"

struct tw_elem {
	struct bpf_task_work tw;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct tw_elem);
} tw_map SEC(".maps");

static int tw_callback(struct bpf_map *map, void *key, void *value)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int task_work_untrusted_task(u64 *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct tw_elem *elem;
	int key = 0;

	elem = bpf_map_lookup_elem(&tw_map, &key);
	if (!elem)
		return 0;
	bpf_task_work_schedule_signal_impl(task->group_leader->real_parent, &elem->tw, &tw_map,
					   tw_callback, NULL);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

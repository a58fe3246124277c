/* Count new tasks per parent: acquire the parent under RCU, read it, release it: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, s32);
	__type(value, u64);
} children SEC(".maps");

SEC("tp_btf/task_newtask")
int BPF_PROG(count_children, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *parent;
	u64 one = 1, *count;
	s32 tgid;

	/* task->real_parent is RCU-protected: bpf_task_acquire (KF_RCU) takes a reference. */
	parent = bpf_task_acquire(task->real_parent);
	if (!parent) /* KF_RET_NULL: the verifier insists on this check */
		return 0;
	tgid = parent->tgid;
	bpf_task_release(parent); /* KF_RELEASE: without it, "Unreleased reference" */

	count = bpf_map_lookup_elem(&children, &tgid);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&children, &tgid, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

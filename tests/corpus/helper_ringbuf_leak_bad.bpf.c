/* a ringbuf record reserved but never submitted: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp_btf/task_newtask")
int BPF_PROG(helper_ringbuf_leak, struct task_struct *task, u64 clone_flags)
{
	u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = task->pid;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

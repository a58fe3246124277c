/* bpf_ringbuf_reserve, NULL check, write, bpf_ringbuf_submit: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp_btf/task_newtask")
int BPF_PROG(helper_ringbuf_submit, struct task_struct *task, u64 clone_flags)
{
	u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = task->pid;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

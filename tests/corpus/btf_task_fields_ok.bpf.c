/* tp_btf/sched_switch reads prev->pid, next->comm and walks prev->real_parent->tgid (BTF pointer walks): accept */
#include "corpus.h"

struct switch_event {
	u32 prev_pid;
	u32 prev_ppid;
	char next_comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(btf_task_fields, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct switch_event *e;

	if (prev->pid == 0)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->prev_pid = prev->pid;
	e->prev_ppid = prev->real_parent->tgid;
	__builtin_memcpy(e->next_comm, next->comm, sizeof(e->next_comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

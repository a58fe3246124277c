/* bpf_ringbuf_submit given a pointer into the record instead of its start: reject "R1 must have zero offset when passed to release func" */
#include "corpus.h"

struct exec_event {
	u32 pid;
	u32 uid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} exec_events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int ringbuf_submit_inner_ptr(void *ctx)
{
	struct exec_event *e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
	char *comm;

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	comm = e->comm;
	bpf_get_current_comm(comm, sizeof(e->comm));
	bpf_ringbuf_submit(comm, 0);	/* the wrong variable */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

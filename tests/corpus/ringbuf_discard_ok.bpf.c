/* a ringbuf record reserved, then discarded on one path and submitted on the other: accept */
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
int ringbuf_discard(void *ctx)
{
	struct exec_event *e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	if (bpf_get_current_comm(e->comm, sizeof(e->comm)) || e->uid == 0) {
		bpf_ringbuf_discard(e, 0);	/* root exec: not interesting */
		return 0;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a ringbuf record submitted and then discarded on the error path too (released twice): reject "R1 type=scalar expected=ringbuf_mem" */
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
int ringbuf_submit_twice(void *ctx)
{
	struct exec_event *e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
	long err;

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	err = bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	if (err)
		bpf_ringbuf_discard(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

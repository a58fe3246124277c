/* a 16-byte ringbuf record written at offset 16, a struct grown without the reserve size ("invalid access to memory, mem_size=16 off=16 size=8" first): reject "R0 min value is outside of the allowed memory range" */
#include "corpus.h"

struct exit_event {
	u32 pid;
	s32 code;
	u64 runtime_ns;
	u64 start_ns;	/* new field */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} exits SEC(".maps");

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ringbuf_write_past_end, struct task_struct *p)
{
	struct exit_event *e = bpf_ringbuf_reserve(&exits, 16, 0);	/* old sizeof */

	if (!e)
		return 0;
	e->pid = p->pid;
	e->code = p->exit_code;
	e->runtime_ns = p->se.sum_exec_runtime;
	e->start_ns = p->start_time;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

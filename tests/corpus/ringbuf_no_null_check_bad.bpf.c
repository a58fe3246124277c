/* writing a bpf_ringbuf_reserve result without checking it for NULL (the ring may be full): reject "R6 invalid mem access 'ringbuf_mem_or_null'" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} pids SEC(".maps");

SEC("tp/sched/sched_process_fork")
int ringbuf_no_null_check(void *ctx)
{
	u32 *pid = bpf_ringbuf_reserve(&pids, sizeof(*pid), 0);

	*pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(pid, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

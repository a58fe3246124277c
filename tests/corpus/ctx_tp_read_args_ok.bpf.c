/* a syscall tracepoint reads id and args[2] from its trace_event_raw_sys_enter record: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} bytes_written SEC(".maps");

SEC("tp/syscalls/sys_enter_write")
int ctx_tp_read_args(struct trace_event_raw_sys_enter *ctx)
{
	u32 key = 0;
	u64 *total = bpf_map_lookup_elem(&bytes_written, &key);

	if (total && ctx->id == 1 /* __NR_write */)
		*total += ctx->args[2];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

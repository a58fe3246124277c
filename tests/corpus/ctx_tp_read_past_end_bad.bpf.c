/* a tracepoint program reading at offset 8192 of its record (past PERF_MAX_TRACE_SIZE): reject "invalid bpf_context access off=8192 size=8" */
#include "corpus.h"

SEC("tp/syscalls/sys_enter_write")
int ctx_tp_read_past_end(struct trace_event_raw_sys_enter *ctx)
{
	/* a field offset taken from the wrong format file */
	return *(u64 *)((void *)ctx + 8192) != 0;
}

char LICENSE[] SEC("license") = "GPL";

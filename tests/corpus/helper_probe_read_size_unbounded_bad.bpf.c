/* bpf_probe_read_user into a 64-byte stack buffer with a length taken from the syscall arguments (unbounded): reject "R2 min value is negative, either use unsigned or 'var &= const'" */
#include "corpus.h"

SEC("tp/syscalls/sys_enter_write")
int helper_probe_read_size_unbounded(struct trace_event_raw_sys_enter *ctx)
{
	char head[64];
	const void *buf = (const void *)ctx->args[1];
	u64 count = ctx->args[2];

	if (bpf_probe_read_user(head, count, buf))
		return 0;
	return head[0] == '{';
}

char LICENSE[] SEC("license") = "GPL";

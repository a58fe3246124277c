/* bpf_probe_read_user with a syscall-argument length clamped to the 64-byte stack buffer first: accept */
#include "corpus.h"

SEC("tp/syscalls/sys_enter_write")
int helper_probe_read_size_clamped(struct trace_event_raw_sys_enter *ctx)
{
	char head[64];
	const void *buf = (const void *)ctx->args[1];
	u64 count = ctx->args[2];

	if (count > sizeof(head))
		count = sizeof(head);
	if (bpf_probe_read_user(head, count, buf))
		return 0;
	return head[0] == '{';
}

char LICENSE[] SEC("license") = "GPL";

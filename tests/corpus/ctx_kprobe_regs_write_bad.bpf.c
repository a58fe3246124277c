/* a kprobe overwriting the first argument register in pt_regs (kprobe contexts are read-only): reject "invalid bpf_context access off=112 size=8" */
#include "corpus.h"

SEC("kprobe/do_sys_openat2")
int ctx_kprobe_regs_write(struct pt_regs *ctx)
{
	if (PT_REGS_PARM1(ctx) == (u64)-100)	/* AT_FDCWD */
		ctx->di = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

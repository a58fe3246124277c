/* bpf_probe_read_kernel told to write 32 bytes into a 16-byte stack buffer: reject "invalid write to stack R1 off=-16 size=32" */
#include "corpus.h"

SEC("kprobe/do_unlinkat")
int stack_helper_buffer_too_small(struct pt_regs *ctx)
{
	struct filename *name = (struct filename *)PT_REGS_PARM2(ctx);
	char head[16];
	const char *p;

	if (bpf_probe_read_kernel(&p, sizeof(p), &name->name))
		return 0;
	bpf_probe_read_kernel(head, 32, p);
	return head[0] == '/';
}

char LICENSE[] SEC("license") = "GPL";

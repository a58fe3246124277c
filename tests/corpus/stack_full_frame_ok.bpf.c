/* a 504-byte stack buffer (almost the whole 512-byte frame) filled by bpf_probe_read_user_str: accept */
#include "corpus.h"

SEC("kprobe/do_sys_openat2")
int stack_full_frame(struct pt_regs *ctx)
{
	char path[504];
	const char *filename = (const char *)PT_REGS_PARM2(ctx);

	if (bpf_probe_read_user_str(path, sizeof(path), filename) < 0)
		return 0;
	return path[0] == '/';
}

char LICENSE[] SEC("license") = "GPL";

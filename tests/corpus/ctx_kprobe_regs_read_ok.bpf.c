/* a kprobe reads two argument registers from pt_regs (PT_REGS_PARM1/3) and counts O_CREAT opens: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} creat_opens SEC(".maps");

SEC("kprobe/do_sys_openat2")
int ctx_kprobe_regs_read(struct pt_regs *ctx)
{
	struct open_how how;
	u32 key = 0;
	u64 *n;

	if ((long)PT_REGS_PARM1(ctx) != -100)	/* AT_FDCWD */
		return 0;
	if (bpf_probe_read_kernel(&how, sizeof(how), (void *)PT_REGS_PARM3(ctx)))
		return 0;
	if (!(how.flags & 0100))	/* O_CREAT */
		return 0;
	n = bpf_map_lookup_elem(&creat_opens, &key);
	if (n)
		*n += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

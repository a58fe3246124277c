/* bpf_session_cookie in a kprobe.session program, cookie written and read: accept */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("kprobe.session/do_nanosleep")
int session_cookie(struct pt_regs *ctx)
{
	u64 *cookie = bpf_session_cookie();

	*cookie = bpf_ktime_get_ns();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

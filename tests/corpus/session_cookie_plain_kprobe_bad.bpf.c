/* bpf_session_cookie in a plain kprobe (not kprobe.session): reject "calling kernel function bpf_session_cookie is not allowed" */
#include "corpus.h"
#include "kfuncs_families.h"

SEC("kprobe/do_nanosleep")
int session_cookie_plain_kprobe(struct pt_regs *ctx)
{
	u64 *cookie = bpf_session_cookie();

	*cookie = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_task_from_pid (generic set) in XDP: accept */
#include "corpus.h"

SEC("xdp")
int progtype_task_from_pid_xdp(struct xdp_md *ctx)
{
	struct task_struct *p = bpf_task_from_pid(1);

	if (p)
		bpf_task_release(p);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

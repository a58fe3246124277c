/* nested bpf_preempt_disable twice, enabled twice: accept */
#include "corpus.h"

SEC("syscall")
int preempt_nested(void *ctx)
{
	bpf_preempt_disable();
	bpf_preempt_disable();
	bpf_preempt_enable();
	bpf_preempt_enable();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

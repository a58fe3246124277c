/* the sleepable bpf_copy_from_user_str inside a non-preemptible region of a sleepable program: reject "kernel func bpf_copy_from_user_str is sleepable within non-preemptible region" */
#include "corpus.h"

SEC("syscall")
int preempt_sleepable_kfunc(void *ctx)
{
	char buf[16];

	bpf_preempt_disable();
	bpf_copy_from_user_str(buf, sizeof(buf), ctx, 0);
	bpf_preempt_enable();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_cpumask_create (registered for tracing, struct_ops and syscall) in tc: reject "calling kernel function bpf_cpumask_create is not allowed" */
#include "corpus.h"

SEC("tc")
int progtype_cpumask_in_tc(struct __sk_buff *skb)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();

	if (mask)
		bpf_cpumask_release(mask);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

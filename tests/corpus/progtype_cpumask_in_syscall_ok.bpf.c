/* bpf_cpumask_create in a syscall program: accept */
#include "corpus.h"

SEC("syscall")
int progtype_cpumask_in_syscall(void *ctx)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();

	if (!mask)
		return 0;
	bpf_cpumask_setall(mask);
	bpf_cpumask_release(mask);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

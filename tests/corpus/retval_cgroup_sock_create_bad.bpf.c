/* a cgroup/sock_create program returns 2 (allowed: 0 or 1): reject "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]" */
#include "corpus.h"

SEC("cgroup/sock_create")
int retval_cgroup_sock_create(struct bpf_sock *sk)
{
	if (sk->family == 10)
		return 1;
	return 2;
}

char LICENSE[] SEC("license") = "GPL";

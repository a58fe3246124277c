/* a cgroup/sock_create program returns 0 or 1: accept */
#include "corpus.h"

SEC("cgroup/sock_create")
int retval_cgroup_sock_create_ok(struct bpf_sock *sk)
{
	return sk->type != 3;
}

char LICENSE[] SEC("license") = "GPL";

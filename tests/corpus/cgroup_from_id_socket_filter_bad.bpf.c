/* bpf_cgroup_from_id (generic set) is not registered for socket filters: reject "calling kernel function bpf_cgroup_from_id is not allowed" */
#include "corpus.h"

SEC("socket")
int cgroup_from_id_socket_filter(struct __sk_buff *skb)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);

	if (cgrp)
		bpf_cgroup_release(cgrp);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

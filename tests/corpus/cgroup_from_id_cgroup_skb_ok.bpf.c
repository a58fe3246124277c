/* bpf_cgroup_from_id in a cgroup_skb program (generic set registered for CGROUP_SKB): accept */
#include "corpus.h"

SEC("cgroup_skb/ingress")
int cgroup_from_id_cgroup_skb(struct __sk_buff *skb)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);

	if (cgrp)
		bpf_cgroup_release(cgrp);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

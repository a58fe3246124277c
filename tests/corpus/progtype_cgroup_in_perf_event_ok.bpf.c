/* bpf_cgroup_from_id in a perf_event program (tracing hook): accept */
#include "corpus.h"

SEC("perf_event")
int progtype_cgroup_in_perf_event(struct bpf_perf_event_data *ctx)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(1);

	if (cgrp)
		bpf_cgroup_release(cgrp);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_res_spin_lock on a lock on the stack: reject "arg#0 doesn't point to map value or allocated object" */
#include "corpus.h"

SEC("tc")
int res_lock_not_map_value(struct __sk_buff *skb)
{
	struct bpf_res_spin_lock lock = {};

	if (bpf_res_spin_lock(&lock))
		return 0;
	bpf_res_spin_unlock(&lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a bpf_spin_lock in a global variable (its own .data section) guarding a counter next to it: accept */
#include "corpus.h"

#define TC_ACT_OK 0

private(stats) struct bpf_spin_lock stats_lock;
private(stats) u64 total_bytes;
private(stats) u64 total_pkts;

SEC("tc")
int spin_lock_global_data(struct __sk_buff *skb)
{
	bpf_spin_lock(&stats_lock);
	total_bytes += skb->len;
	total_pkts++;
	bpf_spin_unlock(&stats_lock);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

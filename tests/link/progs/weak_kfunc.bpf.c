/* A weak kfunc declared with a prototype the kernel's does not have (a ___flavor for an
 * older kernel, guarded by an existence test): unresolved, as libbpf leaves it, not a link
 * failure. The guarded call is dead code once the test reads 0. */
#include "link.h"

extern int bpf_rcu_read_lock___incompat(int a, int b) __ksym __weak;

SEC("tc")
int weak_incompat(struct __sk_buff *skb)
{
	if (bpf_rcu_read_lock___incompat)
		return bpf_rcu_read_lock___incompat(1, 2);
	return 0;
}

char _license[] SEC("license") = "GPL";

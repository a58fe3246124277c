/* a socket filter calling bpf_get_current_task, bpf_probe_read_kernel and bpf_get_current_pid_tgid (in the base helper set for a privileged loader): accept */
#include "corpus.h"

SEC("socket")
int helper_socket_probe_read_kernel(struct __sk_buff *skb)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	pid_t tgid = 0;

	bpf_probe_read_kernel(&tgid, sizeof(tgid), &task->tgid);
	return tgid == (bpf_get_current_pid_tgid() >> 32) ? skb->len : 0;
}

char LICENSE[] SEC("license") = "GPL";

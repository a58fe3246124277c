/* a sock_ops program reads op and writes reply (a writable field): accept */
#include "corpus.h"

SEC("sockops")
int ctx_sock_ops_reply(struct bpf_sock_ops *ops)
{
	if (ops->op == 0)
		ops->reply = 1;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

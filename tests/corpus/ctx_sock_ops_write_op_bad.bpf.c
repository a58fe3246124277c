/* a sock_ops program writes its context's read-only op field: reject "invalid bpf_context access off=0 size=4" */
#include "corpus.h"

SEC("sockops")
int ctx_sock_ops_write_op(struct bpf_sock_ops *ops)
{
	ops->op = 0;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";

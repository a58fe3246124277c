/* an sk_msg program reads its context's remote port and family: accept */
#include "corpus.h"

SEC("sk_msg")
int ctx_sk_msg_read(struct sk_msg_md *msg)
{
	if (msg->family != 2)
		return 1;
	return msg->remote_port != 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_strlen and bpf_strcmp on constant strings in a socket filter (common set): accept */
#include "corpus.h"

SEC("socket")
int string_strlen_strcmp(struct __sk_buff *skb)
{
	const char *a = "kfcheck", *b = "kfunc";

	return bpf_strlen(a) + bpf_strcmp(a, b);
}

char LICENSE[] SEC("license") = "GPL";

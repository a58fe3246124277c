/* the sleepable bpf_copy_from_user_str in a sleepable syscall program: accept */
#include "corpus.h"

SEC("syscall")
int sleepable_copy_from_user_str(void *ctx)
{
	char buf[32];

	return bpf_copy_from_user_str(buf, sizeof(buf), ctx, 0);
}

char LICENSE[] SEC("license") = "GPL";

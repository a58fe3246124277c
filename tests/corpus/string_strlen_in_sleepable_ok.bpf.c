/* bpf_strlen on a string copied from user memory in a sleepable syscall program: accept */
#include "corpus.h"

SEC("syscall")
int string_strlen_in_sleepable(void *ctx)
{
	char buf[32];

	if (bpf_copy_from_user_str(buf, sizeof(buf), ctx, 0) < 0)
		return 0;
	return bpf_strlen(buf);
}

char LICENSE[] SEC("license") = "GPL";

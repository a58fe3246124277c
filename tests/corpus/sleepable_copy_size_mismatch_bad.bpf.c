/* bpf_copy_from_user_str told the buffer is larger than it is (dst__sz): reject "arg#0 arg#1 memory, len pair leads to invalid memory access" */
#include "corpus.h"

SEC("syscall")
int sleepable_copy_size_mismatch(void *ctx)
{
	char buf[16];

	return bpf_copy_from_user_str(buf, 64, ctx, 0);
}

char LICENSE[] SEC("license") = "GPL";

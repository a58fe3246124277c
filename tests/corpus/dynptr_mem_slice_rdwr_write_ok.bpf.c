/* bpf_dynptr_slice_rdwr of a local (bpf_dynptr_from_mem) dynptr in a syscall program, NULL-checked, then written through: accept; 6.18.44-fc-v1272: reject "bpf_dynptr_slice_rdwr() is not allowed" */
#include "corpus.h"

char scratch[64];

SEC("syscall")
int dynptr_mem_slice_rdwr_write(void *ctx)
{
	struct bpf_dynptr ptr;
	u64 *slot;

	if (bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &ptr))
		return 0;
	slot = bpf_dynptr_slice_rdwr(&ptr, 8, NULL, sizeof(*slot));
	if (!slot)
		return 0;
	*slot = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

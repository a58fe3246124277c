/* bpf_set_dentry_xattr is LSM-only; called from a syscall program: reject "calling kernel function bpf_set_dentry_xattr is not allowed" */
#include "corpus.h"
#include "kfuncs_families.h"

char xattr_value[8];

SEC("syscall")
int dentry_xattr_syscall(void *ctx)
{
	struct bpf_dynptr value;

	bpf_dynptr_from_mem(xattr_value, sizeof(xattr_value), 0, &value);
	return bpf_set_dentry_xattr(NULL, "user.kfcheck", &value, 0);
}

char LICENSE[] SEC("license") = "GPL";

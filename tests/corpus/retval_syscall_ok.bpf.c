/* a syscall program (run with BPF_PROG_TEST_RUN) filling a map from its user-supplied context and returning an errno: accept */
#include "corpus.h"

struct seed_args {
	u32 key;
	u64 value;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} seeds SEC(".maps");

SEC("syscall")
int retval_syscall(struct seed_args *args)
{
	u32 key = args->key;
	u64 value = args->value;

	if (key >= 64)
		return -22;	/* -EINVAL */
	return bpf_map_update_elem(&seeds, &key, &value, BPF_ANY);
}

char LICENSE[] SEC("license") = "GPL";

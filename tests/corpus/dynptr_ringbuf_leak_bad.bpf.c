/* a ringbuf dynptr reserved but never submitted or discarded: reject "BPF_EXIT instruction in main prog would lead to reference leak" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tp_btf/task_newtask")
int BPF_PROG(dynptr_ringbuf_leak, struct task_struct *task, u64 clone_flags)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &ptr);
	return bpf_dynptr_size(&ptr);
}

char LICENSE[] SEC("license") = "GPL";

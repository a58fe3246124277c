/* bpf_dynptr_slice_rdwr of a ringbuf dynptr in a tracing program (the kernel applies the packet-write check to every dynptr type): reject "the prog does not allow writes to packet data"; 6.18.44-fc-v1272: reject "bpf_dynptr_slice_rdwr() is not allowed" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tp_btf/task_newtask")
int BPF_PROG(dynptr_ringbuf_slice_rdwr_tracing, struct task_struct *task, u64 clone_flags)
{
	struct bpf_dynptr ptr;
	int *slot;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &ptr);
	slot = bpf_dynptr_slice_rdwr(&ptr, 0, NULL, sizeof(*slot));
	if (slot)
		*slot = bpf_dynptr_size(&ptr);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

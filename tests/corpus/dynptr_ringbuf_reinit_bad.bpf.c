/* bpf_dynptr_clone into a live ringbuf dynptr (a referenced dynptr slot cannot be overwritten): reject "cannot overwrite referenced dynptr" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tp_btf/task_newtask")
int BPF_PROG(dynptr_ringbuf_reinit, struct task_struct *task, u64 clone_flags)
{
	struct bpf_dynptr a, b;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &a);
	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &b);
	bpf_dynptr_clone(&a, &b);
	bpf_ringbuf_discard_dynptr(&a, 0);
	bpf_ringbuf_discard_dynptr(&b, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* ringbuf dynptr helpers (reserve/write/submit) combined with the bpf_dynptr_size kfunc: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tp_btf/task_newtask")
int BPF_PROG(dynptr_ringbuf_submit, struct task_struct *task, u64 clone_flags)
{
	struct bpf_dynptr ptr;
	u32 size;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &ptr);
	size = bpf_dynptr_size(&ptr);
	bpf_dynptr_write(&ptr, 0, &size, sizeof(size), 0);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* releasing the tracepoint's own (unreferenced) task: reject "release kernel function bpf_task_release expects refcounted PTR_TO_BTF_ID" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(task_release_unacquired, struct task_struct *task, u64 clone_flags)
{
	bpf_task_release(task);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

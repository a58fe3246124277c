/* a bpf_iter_num kept in a global instead of the stack: reject "arg#0 expected pointer to an iterator on stack" */
#include "corpus.h"

struct bpf_iter_num global_it;

SEC("tp_btf/task_newtask")
int BPF_PROG(iter_num_not_on_stack, struct task_struct *task, u64 clone_flags)
{
	bpf_iter_num_new(&global_it, 0, 10);
	bpf_iter_num_destroy(&global_it);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* the sleepable bpf_copy_from_user_str in a non-sleepable tp_btf program: reject "program must be sleepable to call sleepable kfunc bpf_copy_from_user_str" */
#include "corpus.h"

SEC("tp_btf/task_newtask")
int BPF_PROG(sleepable_kfunc_in_tracing, struct task_struct *task, u64 clone_flags)
{
	char buf[32];

	return bpf_copy_from_user_str(buf, sizeof(buf), (void *)clone_flags, 0);
}

char LICENSE[] SEC("license") = "GPL";

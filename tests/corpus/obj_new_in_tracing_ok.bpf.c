/* bpf_obj_new/bpf_obj_drop in a tp_btf (BPF_PROG_TYPE_TRACING) program: accept */
#include "corpus.h"

struct obj {
	long a;
	long b;
};

SEC("tp_btf/task_newtask")
int BPF_PROG(obj_new_in_tracing, struct task_struct *task, u64 clone_flags)
{
	struct obj *o = bpf_obj_new(struct obj);

	if (!o)
		return 0;
	o->a = task->pid;
	bpf_obj_drop(o);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* a static subprogram calling itself (not a tail call); the verifier follows the recursion until the call stack is too deep: reject "the call stack of 9 frames is too deep" */
#include "corpus.h"

static __noinline u32 depth_of(struct task_struct *t, u32 depth)
{
	struct task_struct *parent;

	if (!t || depth > 8)
		return depth;
	parent = t->real_parent;
	if (parent == t)
		return depth;
	/* not a tail call: the result is adjusted after the call returns */
	return depth_of(parent, depth + 1) + (t->flags & 1);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(subprog_recursion, struct task_struct *parent, struct task_struct *child)
{
	return depth_of(parent, 0) > 4;
}

char LICENSE[] SEC("license") = "GPL";

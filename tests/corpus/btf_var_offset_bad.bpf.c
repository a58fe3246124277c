/* a BTF task pointer moved by a variable offset before a load (only constant offsets are allowed): reject "R6 is ptr_task_struct invalid variable offset: off=0, var_off=(0x0; 0xf8)" */
#include "corpus.h"

SEC("tp_btf/sched_wakeup")
int BPF_PROG(btf_var_offset, struct task_struct *p)
{
	u64 off = bpf_get_prandom_u32() & 0xf8;

	return *(volatile u64 *)((void *)p + off) != 0;
}

char LICENSE[] SEC("license") = "GPL";

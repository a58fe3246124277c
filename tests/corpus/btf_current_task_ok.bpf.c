/* bpf_get_current_task_btf in a tp_btf program, then reads of task->tgid and task->mm->total_vm: accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u64);
} vm_pages SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(btf_current_task, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;
	u32 tgid = task->tgid;
	u64 pages;

	if (id != 9 /* __NR_mmap */ || !mm)
		return 0;
	pages = mm->total_vm;
	bpf_map_update_elem(&vm_pages, &tgid, &pages, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* bpf_find_vma on the current task (from bpf_get_current_task_btf) with a callback reading vma->vm_start: accept */
#include "corpus.h"

struct vma_info {
	u64 ip;
	u64 vm_start;
	u64 vm_flags;
};

static long vma_cb(struct task_struct *task, struct vm_area_struct *vma, struct vma_info *info)
{
	info->vm_start = vma->vm_start;
	info->vm_flags = vma->vm_flags;
	return 0;
}

SEC("perf_event")
int callback_find_vma(struct bpf_perf_event_data *ctx)
{
	struct vma_info info = { .ip = PT_REGS_IP(&ctx->regs) };

	bpf_find_vma(bpf_get_current_task_btf(), info.ip, vma_cb, &info, 0);
	return info.vm_flags & 4;	/* VM_EXEC */
}

char LICENSE[] SEC("license") = "GPL";

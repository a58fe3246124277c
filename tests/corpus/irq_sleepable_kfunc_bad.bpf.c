/* the sleepable bpf_copy_from_user_str with interrupts disabled in a sleepable program: reject "kernel func bpf_copy_from_user_str is sleepable within IRQ-disabled region" */
#include "corpus.h"

SEC("syscall")
int irq_sleepable_kfunc(void *ctx)
{
	unsigned long flags;
	char buf[16];

	bpf_local_irq_save(&flags);
	bpf_copy_from_user_str(buf, sizeof(buf), ctx, 0);
	bpf_local_irq_restore(&flags);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

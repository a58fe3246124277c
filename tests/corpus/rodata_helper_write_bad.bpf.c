/* bpf_get_current_comm writing into a .rodata buffer (the frozen map is read-only for the program): reject "write into map forbidden, value_size=16 off=0 size=16" */
#include "corpus.h"

const volatile char target_comm[16] = "nginx";

SEC("tp/syscalls/sys_enter_accept4")
int rodata_helper_write(void *ctx)
{
	/* meant to compare against target_comm, not overwrite it */
	bpf_get_current_comm((void *)target_comm, sizeof(target_comm));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

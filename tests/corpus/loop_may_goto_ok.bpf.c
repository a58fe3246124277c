/* an open-coded loop bounded only by may_goto (the kernel's loop budget, as the can_loop macro expands): accept */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} steps SEC(".maps");

SEC("tp/syscalls/sys_enter_getpid")
int loop_may_goto(void *ctx)
{
	u32 key = 0;
	u64 *n = bpf_map_lookup_elem(&steps, &key);
	u64 x, i = 0;

	if (!n)
		return 0;
	x = *n;
	/* Collatz steps of x, as long as the kernel lets the loop run */
	while (x > 1) {
		asm volatile goto("may_goto %l[out]" :::: out);
		x = (x & 1) ? 3 * x + 1 : x >> 1;
		i++;
	}
out:
	*n = i;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

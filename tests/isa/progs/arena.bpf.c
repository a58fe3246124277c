#include "isa.h"

#define __arena __attribute__((address_space(1)))

struct {
	__uint(type, 33); /* BPF_MAP_TYPE_ARENA: newer than the installed UAPI headers */
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
} arena SEC(".maps");

u64 __arena *shared;

SEC("syscall")
int arena_casts(void *ctx)
{
	u64 __arena *p = shared;
	u64 *q;
	if (!p)
		return 0;
	*p += 1;
	q = (u64 *)p;
	return (int)(*q + (u64)(u64 __arena *)q);
}

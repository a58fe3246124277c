/* Features newer than libbpf 1.1: an arena map with __ulong map_extra and arena globals. */
#include "common.h"

#define __arena __attribute__((address_space(1)))

struct {
	__uint(type, 33); /* BPF_MAP_TYPE_ARENA (newer than these UAPI headers) */
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 2);
	__ulong(map_extra, 0x100000000ULL);
} arena SEC(".maps");

int __arena arena_counter SEC(".addr_space.1") = 3;

SEC("syscall")
int bump(void *ctx)
{
	arena_counter++;
	return 0;
}

char _license[] SEC("license") = "GPL";

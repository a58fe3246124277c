#include "isa.h"

SEC("socket")
int endian_v1(void *ctx)
{
	u64 a = RAND64();
	u64 r = __builtin_bswap64(a) + __builtin_bswap32((u32)a) + __builtin_bswap16((u16)a);
	r += bpf_htons((u16)(a >> 3)) + bpf_htonl((u32)(a >> 5)) + bpf_cpu_to_be64(a >> 7);
	return (int)r;
}

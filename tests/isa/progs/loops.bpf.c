#include "isa.h"

SEC("socket")
int bounded_loops(void *ctx)
{
	u32 n = RAND32() & 15;
	u64 acc = 0;
	for (u32 i = 0; i < n; i++) {
		acc += i * acc + 1;
		if (acc > 500)
			break;
	}
	#pragma clang loop unroll(disable)
	for (int j = 10; j > 0; j--)
		acc ^= acc << 1;
	return (int)acc;
}

#include "isa.h"

const volatile u32 limit = 17;
u64 hits;
u64 table[8] = { 1, 2, 3 };
static volatile u16 small;

SEC("socket")
int globals(void *ctx)
{
	u32 i = RAND32() & 7;
	if (i < limit)
		hits++;
	table[i] += hits;
	small = (u16)table[i];
	return (int)(table[1] + small);
}

#include "isa.h"

SEC("socket")
int alu32_ops(void *ctx)
{
	u32 a = RAND32(), b = RAND32() | 1;
	u32 r = a + b;
	r -= a * 5;
	r *= b;
	r /= b;
	r %= 13;
	r |= a;
	r &= ~b;
	r ^= 0xabcd;
	r <<= (a & 31);
	r >>= 3;
	r = (u32)((s32)r >> (b & 15));
	r = (u32)(-(s32)r);
	return (int)r;
}

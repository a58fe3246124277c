#include "isa.h"

SEC("socket")
int alu64_ops(void *ctx)
{
	u64 a = RAND64(), b = RAND64() | 1;
	u64 r = a + b;
	r -= a * 3;
	r *= b;
	r /= b;
	r %= b;
	r |= a;
	r &= ~b;
	r ^= 0x12345678abcdULL;
	r <<= (a & 63);
	r >>= 7;
	r = (u64)((s64)r >> (b & 31));
	r = (u64)(-(s64)r);
	r += 0x7fffffff;
	r -= 0xffffffff80000000ULL;
	return (int)(r >> 3);
}

#include "isa.h"

SEC("socket")
int jumps64(void *ctx)
{
	u64 a = RAND64(), b = RAND64();
	s64 sa = (s64)a, sb = (s64)b;
	int r = 0;
	if (a == 7) r += 1;
	if (a != b) r += 2;
	if (a > b) r += 3;
	if (a >= 100) r += 4;
	if (a < b) r += 5;
	if (a <= 1000) r += 6;
	if (sa > sb) r += 7;
	if (sa >= -5) r += 8;
	if (sa < sb) r += 9;
	if (sa <= -1000) r += 10;
	if (a & 0x10) r += 11;
	if (a & b) r += 12;
	return r;
}

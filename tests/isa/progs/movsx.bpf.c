#include "isa.h"

SEC("socket")
int sign_extend(void *ctx)
{
	u64 a = RAND64();
	s64 r = (s64)(s8)a + (s64)(s16)(a >> 8) + (s64)(s32)(a >> 16);
	s32 w = (s32)(s8)(u32)a + (s32)(s16)(u32)(a >> 4);
	return (int)(r ^ w);
}

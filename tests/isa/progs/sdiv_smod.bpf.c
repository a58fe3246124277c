#include "isa.h"

SEC("socket")
int signed_div_mod(void *ctx)
{
	s64 a = (s64)RAND64(), b = (s64)RAND64() | 1;
	s32 c = (s32)RAND32(), d = (s32)RAND32() | 1;
	s64 r = a / b + a % b + a / -7 + a % 11;
	s32 q = c / d + c % d + c / 3 + c % -5;
	return (int)(r + q);
}

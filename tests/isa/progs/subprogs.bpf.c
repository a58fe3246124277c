#include "isa.h"

static __attribute__((noinline)) u64 mix(u64 a, u64 b)
{
	return (a ^ (b << 7)) + (a >> 3);
}

static __attribute__((noinline)) int twice(int x)
{
	return (int)mix(x, x) * 2;
}

__attribute__((noinline)) int global_fn(int x)
{
	return x + 5;
}

SEC("socket")
int calls(void *ctx)
{
	u64 a = RAND64();
	return twice((int)mix(a, a + 1)) + global_fn((int)a);
}

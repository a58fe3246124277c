/* the program plus eight nested static subprograms, nine call frames (the limit is 8): reject "the call stack of 9 frames is too deep" */
#include "corpus.h"

#define LEVEL(n, next) \
	static __noinline u64 level##n(u64 x) { return next(x * 3 + n) + 1; }

static __noinline u64 level8(u64 x)
{
	return x ^ (x >> 7);
}

LEVEL(7, level8)
LEVEL(6, level7)
LEVEL(5, level6)
LEVEL(4, level5)
LEVEL(3, level4)
LEVEL(2, level3)
LEVEL(1, level2)

SEC("socket")
int subprog_too_deep(struct __sk_buff *skb)
{
	return level1(skb->len) & 1;
}

char LICENSE[] SEC("license") = "GPL";

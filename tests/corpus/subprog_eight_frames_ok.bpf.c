/* the program plus seven nested static subprograms, eight call frames (the maximum): accept */
#include "corpus.h"

#define LEVEL(n, next) \
	static __noinline u64 level##n(u64 x) { return next(x * 3 + n) + 1; }

static __noinline u64 level7(u64 x)
{
	return x ^ (x >> 7);
}

LEVEL(6, level7)
LEVEL(5, level6)
LEVEL(4, level5)
LEVEL(3, level4)
LEVEL(2, level3)
LEVEL(1, level2)

SEC("socket")
int subprog_eight_frames(struct __sk_buff *skb)
{
	return level1(skb->len) & 1;
}

char LICENSE[] SEC("license") = "GPL";

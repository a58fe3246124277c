#include "isa.h"

struct buf {
	u8 b[3];
	u16 h[3];
	u32 w[3];
	u64 d[3];
};

static __attribute__((noinline)) u64 consume(struct buf *p)
{
	return p->b[1] + p->h[2] + p->w[0] + p->d[2];
}

SEC("socket")
int store_sizes(void *ctx)
{
	struct buf b;
	b.b[0] = 1; b.b[1] = 0xff; b.b[2] = (u8)RAND32();
	b.h[0] = 2; b.h[1] = 0xfffe; b.h[2] = (u16)RAND32();
	b.w[0] = 3; b.w[1] = 0xfffffffd; b.w[2] = RAND32();
	b.d[0] = 4; b.d[1] = -4; b.d[2] = RAND64();
	return (int)consume(&b);
}

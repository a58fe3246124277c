#include "isa.h"

struct loop_ctx {
	u64 sum;
};

static int step(u32 index, void *data)
{
	struct loop_ctx *c = data;
	c->sum += index * 3;
	return c->sum > 1000;
}

SEC("raw_tp/sys_enter")
int loops_with_callback(void *ctx)
{
	struct loop_ctx c = { .sum = 0 };
	bpf_loop(100, step, &c, 0);
	return (int)c.sum;
}

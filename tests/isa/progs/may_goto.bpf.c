#include "isa.h"

/* The can_loop idiom of libbpf's bpf_experimental.h, written out. */
#define can_loop ({ __label__ l_break, l_continue;		\
	int ret = 1;					\
	asm volatile goto("may_goto %l[l_break]"		\
		:::: l_break);					\
	goto l_continue;					\
	l_break: ret = 0;					\
	l_continue:;						\
	ret;							\
})

SEC("socket")
int may_goto_loop(void *ctx)
{
	u64 i = 0, acc = 1;
	while (can_loop) {
		acc = acc * 3 + i;
		if (++i > RAND32())
			break;
	}
	return (int)acc;
}

#include "isa.h"

u64 counter64;
u32 counter32;

SEC("socket")
int atomic_ops(void *ctx)
{
	u64 v = RAND64();
	u32 w = RAND32();
	__sync_fetch_and_add(&counter64, v);
	__sync_fetch_and_and(&counter64, v);
	__sync_fetch_and_or(&counter64, v);
	__sync_fetch_and_xor(&counter64, v);
	__sync_fetch_and_add(&counter32, w);
	__sync_fetch_and_and(&counter32, w);
	__sync_fetch_and_or(&counter32, w);
	__sync_fetch_and_xor(&counter32, w);
	u64 r = __sync_fetch_and_add(&counter64, 1);
	r += __sync_fetch_and_and(&counter64, v);
	r += __sync_fetch_and_or(&counter64, v);
	r += __sync_fetch_and_xor(&counter64, v);
	r += __sync_lock_test_and_set(&counter64, v);
	r += __sync_val_compare_and_swap(&counter64, r, v);
	u32 q = __sync_fetch_and_add(&counter32, 1);
	q += __sync_fetch_and_and(&counter32, w);
	q += __sync_fetch_and_or(&counter32, w);
	q += __sync_fetch_and_xor(&counter32, w);
	q += __sync_lock_test_and_set(&counter32, w);
	q += __sync_val_compare_and_swap(&counter32, q, w);
	return (int)(r + q);
}

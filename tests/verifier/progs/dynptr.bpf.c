/* dynptr cases the corpus lacks (tests/verifier/test_dynptr.py): each program's kernel
 * verdict is in the test and checked against the running kernel. */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64[8]);
} arr SEC(".maps");

char scratch[64];

/* reserve, discard: accept */
SEC("raw_tp")
int ringbuf_discard(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &ptr);
	bpf_ringbuf_discard_dynptr(&ptr, 0);
	return 0;
}

/* a ringbuf dynptr submitted twice: the second is not a reference any more */
SEC("raw_tp")
int ringbuf_submit_twice(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &ptr);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

/* a local dynptr submitted to the ring buffer */
SEC("raw_tp")
int submit_local(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &ptr);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

/* a ringbuf dynptr overwritten by a store */
SEC("raw_tp")
int ringbuf_overwrite(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &ptr);
	*(volatile u64 *)&ptr = 0;
	bpf_ringbuf_discard_dynptr(&ptr, 0);
	return 0;
}

/* bpf_dynptr_data of a ringbuf dynptr, written, then submitted: accept */
SEC("raw_tp")
int ringbuf_data_write(void *ctx)
{
	struct bpf_dynptr ptr;
	u64 *p;

	bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &ptr);
	p = bpf_dynptr_data(&ptr, 0, 8);
	if (p)
		*p = 1;
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

/* the data slice used after the submit */
SEC("raw_tp")
int ringbuf_data_after_submit(void *ctx)
{
	struct bpf_dynptr ptr;
	u64 *p;

	bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &ptr);
	p = bpf_dynptr_data(&ptr, 0, 8);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	if (p)
		return *(volatile u64 *)p;
	return 0;
}

/* the data slice read past its size */
SEC("raw_tp")
int data_past_size(void *ctx)
{
	struct bpf_dynptr ptr;
	u64 *p;

	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &ptr);
	p = bpf_dynptr_data(&ptr, 0, 8);
	if (p)
		return *(volatile u64 *)(p + 1);
	return 0;
}

/* a local dynptr re-initialised over itself, read and written: accept */
SEC("raw_tp")
int local_reinit(void *ctx)
{
	struct bpf_dynptr ptr;
	u64 v = 0;

	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &ptr);
	bpf_dynptr_from_mem(scratch, 8, 0, &ptr);
	bpf_dynptr_read(&v, sizeof(v), &ptr, 0, 0);
	bpf_dynptr_write(&ptr, 0, &v, sizeof(v), 0);
	return v;
}

/* a local dynptr overwritten by a store, then used */
SEC("raw_tp")
int local_overwrite_use(void *ctx)
{
	struct bpf_dynptr ptr;
	u64 v = 0;

	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &ptr);
	*((volatile u64 *)&ptr + 1) = 0;
	bpf_dynptr_read(&v, sizeof(v), &ptr, 0, 0);
	return v;
}

/* a slice used after its dynptr was overwritten */
SEC("raw_tp")
int slice_after_overwrite(void *ctx)
{
	struct bpf_dynptr ptr;
	u64 *p;

	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &ptr);
	p = bpf_dynptr_data(&ptr, 0, 8);
	*(volatile u64 *)&ptr = 0;
	if (p)
		return *(volatile u64 *)p;
	return 0;
}

/* bpf_dynptr_from_mem of stack memory */
SEC("raw_tp")
int from_mem_stack(void *ctx)
{
	struct bpf_dynptr ptr;
	char buf[16] = {};

	bpf_dynptr_from_mem(buf, sizeof(buf), 0, &ptr);
	return 0;
}

/* a dynptr argument in a map value */
SEC("raw_tp")
int dynptr_in_map_value(void *ctx)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&arr, &key);

	if (!v)
		return 0;
	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, (struct bpf_dynptr *)v);
	return 0;
}

/* bpf_ringbuf_reserve_dynptr of an array map */
SEC("raw_tp")
int reserve_array(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&arr, 16, 0, &ptr);
	bpf_ringbuf_discard_dynptr(&ptr, 0);
	return 0;
}

/* a dynptr at a misaligned stack offset */
SEC("raw_tp")
int misaligned(void *ctx)
{
	u64 buf[3];

	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, (struct bpf_dynptr *)((char *)buf + 4));
	return 0;
}

/* writing through a read-only slice of an skb dynptr */
SEC("tc")
int slice_write(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	char buf[8];
	u64 *p;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return 0;
	p = bpf_dynptr_slice(&ptr, 0, buf, sizeof(buf));
	if (p)
		*p = 0;
	return 0;
}

/* an skb dynptr cloned, the clone sliced: accept */
SEC("tc")
int clone_slice(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr, clone;
	char buf[8], *p;

	if (bpf_dynptr_from_skb(skb, 0, &ptr))
		return 0;
	bpf_dynptr_clone(&ptr, &clone);
	p = bpf_dynptr_slice(&clone, 0, buf, sizeof(buf));
	return p ? p[1] : 0;
}

/* the clone of a ringbuf dynptr used after the parent's discard */
SEC("raw_tp")
int clone_after_discard(void *ctx)
{
	struct bpf_dynptr ptr, clone;

	bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &ptr);
	bpf_dynptr_clone(&ptr, &clone);
	bpf_ringbuf_discard_dynptr(&ptr, 0);
	return bpf_dynptr_size(&clone);
}

/* an uninitialised dynptr passed to bpf_dynptr_slice_rdwr (v1272's slice_rdwr rule) */
SEC("tc")
int slice_rdwr_uninit(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	char buf[8], *p;

	__builtin_memset(&ptr, 0, sizeof(ptr));
	p = bpf_dynptr_slice_rdwr(&ptr, 0, buf, sizeof(buf));
	return p ? p[0] : 0;
}

/* bpf_dynptr_slice_rdwr of an xdp dynptr */
SEC("xdp")
int xdp_slice_rdwr(struct xdp_md *ctx)
{
	struct bpf_dynptr ptr;
	char buf[8], *p;

	if (bpf_dynptr_from_xdp(ctx, 0, &ptr))
		return XDP_PASS;
	p = bpf_dynptr_slice_rdwr(&ptr, 0, buf, sizeof(buf));
	if (p)
		p[0] = 1;
	return XDP_PASS;
}

/* bpf_dynptr_read from a dynptr leaked in a callee's frame */
SEC("raw_tp")
int read_into_dynptr(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_dynptr_from_mem(scratch, sizeof(scratch), 0, &ptr);
	bpf_dynptr_read(&ptr, 8, &ptr, 0, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

/* helpers that call a static subprogram back, on cases the corpus lacks
 * (tests/verifier/test_cbhelpers.py): bpf_find_vma and bpf_user_ringbuf_drain. Each program's
 * kernel verdict is in the test and checked against the running kernel. */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} krb SEC(".maps");

/* BTF anchors: forward-declared structs clang would order by hashes of the checkout's path */
struct bpf_sock *sock_type_anchor;
struct bpf_flow_keys *flow_keys_type_anchor;
struct rq *rq_type_anchor;
struct cfs_rq *cfs_rq_type_anchor;

struct vctx {
	u64 start;
	u64 pid;
};

/* ---- bpf_find_vma: callback(task, vma, ctx) ---- */

static long vma_read(struct task_struct *task, struct vm_area_struct *vma, struct vctx *c)
{
	c->start = vma->vm_start;
	c->pid = task->pid;
	return 0;
}

SEC("raw_tp")
int vma_ok(void *ctx)
{
	struct vctx c = {};

	bpf_find_vma(bpf_get_current_task_btf(), 0x1000, vma_read, &c, 0);
	return c.start == 0;
}

static long vma_two(struct task_struct *task, struct vm_area_struct *vma, void *c)
{
	return 2;
}

SEC("raw_tp")
int vma_ret(void *ctx)
{
	bpf_find_vma(bpf_get_current_task_btf(), 0, vma_two, NULL, 0);
	return 0;
}

static long vma_store(struct task_struct *task, struct vm_area_struct *vma, void *c)
{
	vma->vm_start = 0;
	return 0;
}

SEC("raw_tp")
int vma_write(void *ctx)
{
	bpf_find_vma(bpf_get_current_task_btf(), 0, vma_store, NULL, 0);
	return 0;
}

static long vma_ctx(struct task_struct *task, struct vm_area_struct *vma, struct vctx *c)
{
	c->start = 1;
	return 0;
}

SEC("raw_tp")
int vma_null_ctx(void *ctx)
{
	bpf_find_vma(bpf_get_current_task_btf(), 0, vma_ctx, NULL, 0);
	return 0;
}

SEC("tc")
int vma_tc(struct __sk_buff *skb)
{
	struct vctx c = {};

	bpf_find_vma(bpf_get_current_task_btf(), 0, vma_read, &c, 0);
	return 0;
}

SEC("raw_tp")
int vma_scalar_task(void *ctx)
{
	struct vctx c = {};

	bpf_find_vma((struct task_struct *)(long)bpf_get_prandom_u32(), 0, vma_read, &c, 0);
	return 0;
}

/* ---- bpf_user_ringbuf_drain: callback(const dynptr, ctx) ---- */

static long drain_read(struct bpf_dynptr *d, u64 *sum)
{
	u64 v = 0;

	if (bpf_dynptr_read(&v, sizeof(v), d, 0, 0))
		return 1;
	*sum += v;
	return 0;
}

SEC("raw_tp")
int drain_ok(void *ctx)
{
	u64 sum = 0;

	bpf_user_ringbuf_drain(&urb, drain_read, &sum, 0);
	return sum == 3;
}

static long drain_slice(struct bpf_dynptr *d, void *c)
{
	u64 *p = bpf_dynptr_data(d, 0, 8);

	if (!p)
		return 1;
	return *p & 1;
}

SEC("raw_tp")
int drain_data(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_slice, NULL, 0);
	return 0;
}

static long drain_slice_past(struct bpf_dynptr *d, void *c)
{
	u64 *p = bpf_dynptr_data(d, 0, 8);

	if (!p)
		return 1;
	return p[1] & 1;
}

SEC("raw_tp")
int drain_data_past(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_slice_past, NULL, 0);
	return 0;
}

static long drain_submit_cb(struct bpf_dynptr *d, void *c)
{
	bpf_ringbuf_submit_dynptr(d, 0);
	return 0;
}

SEC("raw_tp")
int drain_submit(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_submit_cb, NULL, 0);
	return 0;
}

static long drain_reserve_cb(struct bpf_dynptr *d, void *c)
{
	bpf_ringbuf_reserve_dynptr(&krb, 8, 0, d);
	return 0;
}

SEC("raw_tp")
int drain_reinit(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_reserve_cb, NULL, 0);
	return 0;
}

static long drain_five(struct bpf_dynptr *d, void *c)
{
	return 5;
}

SEC("raw_tp")
int drain_ret(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_five, NULL, 0);
	return 0;
}

SEC("raw_tp")
int drain_wrong_map(void *ctx)
{
	bpf_user_ringbuf_drain(&krb, drain_five, NULL, 0);
	return 0;
}

static long drain_deref_cb(struct bpf_dynptr *d, void *c)
{
	return *(u64 *)d & 1;
}

SEC("raw_tp")
int drain_deref(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_deref_cb, NULL, 0);
	return 0;
}

static long drain_size_cb(struct bpf_dynptr *d, void *c)
{
	return bpf_dynptr_size(d) & 1;
}

SEC("raw_tp")
int drain_kfunc(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, drain_size_cb, NULL, 0);
	return 0;
}

SEC("tc")
int drain_tc(struct __sk_buff *skb)
{
	u64 sum = 0;

	bpf_user_ringbuf_drain(&urb, drain_read, &sum, 0);
	return 0;
}

/* a user ringbuf map is only for bpf_user_ringbuf_drain */
SEC("raw_tp")
int urb_lookup(void *ctx)
{
	u32 key = 0;

	return bpf_map_lookup_elem(&urb, &key) != NULL;
}

SEC("raw_tp")
int urb_output(void *ctx)
{
	u64 v = 1;

	return bpf_ringbuf_output(&urb, &v, sizeof(v), 0);
}

char LICENSE[] SEC("license") = "GPL";

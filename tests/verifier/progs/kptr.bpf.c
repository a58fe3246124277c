/* kptrs in map values (tests/verifier/test_kptr.py): loads, stores and bpf_kptr_xchg of
 * __kptr and __kptr_untrusted fields. Each program's kernel verdict is in the test and checked
 * against the running kernel. The kptrs point to struct bpf_cpumask and no program names
 * struct task_struct: its pointer members would put forward declarations among the kptr type
 * tags clang emits last, in an order that depends on the checkout path. */
#include "corpus.h"
#include "realistic.h"

#ifndef __kptr_untrusted
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#endif

struct holder {
	struct bpf_cpumask __kptr *mask;
	struct bpf_cpumask __kptr_untrusted *umask;
	__u64 stamp;
	__u32 small;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct holder);
} kholders SEC(".maps");

struct plain {
	__u64 a;
	__u64 b;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct plain);
} kplain SEC(".maps");

struct bpf_cpumask __kptr *gmask;

static __always_inline struct holder *get(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&kholders, &key);
}

/* a referenced kptr loaded outside RCU is untrusted: reject */
SEC("syscall")
int ref_load_sleepable(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = h->mask;
	if (!m)
		return 0;
	return bpf_cpumask_first(&m->cpumask);
}

/* a referenced kptr loaded in a non-sleepable program is RCU: accept */
SEC("tp_btf/task_newtask")
int ref_load_rcu(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = h->mask;
	if (!m)
		return 0;
	return bpf_cpumask_first(&m->cpumask);
}

/* the loaded kptr used without a NULL check: reject */
SEC("tp_btf/task_newtask")
int ref_load_no_null(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	return h->mask->usage.refs.counter;
}

/* an untrusted kptr stored from a new cpumask: accept */
SEC("tp_btf/task_newtask")
int unref_store(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = bpf_cpumask_create();
	if (!m)
		return 0;
	h->umask = m;
	bpf_cpumask_release(m);
	return 0;
}

/* an untrusted kptr loaded and read: accept */
SEC("tp_btf/task_newtask")
int unref_load(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = h->umask;
	if (!m)
		return 0;
	return m->usage.refs.counter;
}

/* an untrusted kptr stored NULL: accept */
SEC("tp_btf/task_newtask")
int unref_store_null(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	h->umask = NULL;
	return 0;
}

/* an untrusted kptr stored from a scalar: reject */
SEC("tp_btf/task_newtask")
int unref_store_scalar(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	h->umask = (struct bpf_cpumask *)(long)bpf_get_prandom_u32();
	return 0;
}

/* an untrusted kptr stored from a map value pointer: reject */
SEC("tp_btf/task_newtask")
int unref_store_map_value(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	h->umask = (struct bpf_cpumask *)h;
	return 0;
}

/* half of a kptr read: reject */
SEC("tp_btf/task_newtask")
int kptr_half(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	return *(__u32 *)&h->umask;
}

/* a kptr read at a misaligned offset: reject */
SEC("tp_btf/task_newtask")
int kptr_misaligned(void *ctx)
{
	struct holder *h = get();
	__u64 v;

	if (!h)
		return 0;
	__builtin_memcpy(&v, (char *)h + 4, sizeof(v));
	return v;
}

/* a kptr passed to a helper as memory: reject */
SEC("tp_btf/task_newtask")
int kptr_helper_mem(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	bpf_probe_read_kernel(h, 16, ctx);
	return 0;
}

/* an atomic add on a kptr: reject */
SEC("tp_btf/task_newtask")
int kptr_atomic(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	__sync_fetch_and_add((__u64 *)&h->umask, 1);
	return 0;
}

/* a BPF_ST of a non-zero immediate to a kptr: reject */
SEC("tp_btf/task_newtask")
int kptr_st_imm(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	asm volatile("*(u64 *)(%[p] + 8) = 1" :: [p] "r"(h) : "memory");
	return 0;
}

/* the other fields of the value stay plain memory: accept */
SEC("tp_btf/task_newtask")
int kptr_neighbours(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	h->stamp = bpf_ktime_get_ns();
	h->small = 1;
	return h->small;
}

/* bpf_kptr_xchg with a new cpumask, the old one released: accept */
SEC("tp_btf/task_newtask")
int xchg_ok(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = bpf_cpumask_create();
	if (!m)
		return 0;
	m = bpf_kptr_xchg(&h->mask, m);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* bpf_kptr_xchg's old value leaked: reject */
SEC("tp_btf/task_newtask")
int xchg_leak(void *ctx)
{
	struct holder *h = get();

	if (!h)
		return 0;
	bpf_kptr_xchg(&h->mask, NULL);
	return 0;
}

/* bpf_kptr_xchg of an unreferenced pointer: reject */
SEC("tp_btf/task_newtask")
int xchg_unref(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = h->mask;
	if (!m)
		return 0;
	m = bpf_kptr_xchg(&h->mask, m);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* bpf_kptr_xchg on an untrusted kptr field: reject */
SEC("tp_btf/task_newtask")
int xchg_unref_field(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = bpf_kptr_xchg(&h->umask, NULL);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* bpf_kptr_xchg at a field that is no kptr: reject */
SEC("tp_btf/task_newtask")
int xchg_not_kptr(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = bpf_kptr_xchg((struct bpf_cpumask **)&h->stamp, NULL);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* bpf_kptr_xchg on a map without kptrs: reject */
SEC("tp_btf/task_newtask")
int xchg_no_kptr(void *ctx)
{
	__u32 key = 0;
	struct plain *p = bpf_map_lookup_elem(&kplain, &key);
	struct bpf_cpumask *m;

	if (!p)
		return 0;
	m = bpf_kptr_xchg((struct bpf_cpumask **)&p->a, NULL);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* bpf_kptr_xchg with a stack pointer: reject */
SEC("tp_btf/task_newtask")
int xchg_stack(void *ctx)
{
	struct bpf_cpumask *slot = NULL, *m;

	m = bpf_kptr_xchg(&slot, NULL);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* bpf_kptr_xchg of a maybe-NULL new cpumask: reject */
SEC("tp_btf/task_newtask")
int xchg_maybe_null(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = bpf_cpumask_create();
	m = bpf_kptr_xchg(&h->mask, m);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* bpf_kptr_xchg of a pointer into the cpumask (non-zero offset): reject */
SEC("tp_btf/task_newtask")
int xchg_offset(void *ctx)
{
	struct holder *h = get();
	struct bpf_cpumask *m;

	if (!h)
		return 0;
	m = bpf_cpumask_create();
	if (!m)
		return 0;
	m = bpf_kptr_xchg(&h->mask, (struct bpf_cpumask *)&m->usage);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* a kptr in global data exchanged: accept */
SEC("tp_btf/task_newtask")
int global_xchg(void *ctx)
{
	struct bpf_cpumask *m = bpf_cpumask_create();

	if (!m)
		return 0;
	m = bpf_kptr_xchg(&gmask, m);
	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* a kptr in global data stored directly: reject */
SEC("tp_btf/task_newtask")
int global_store(void *ctx)
{
	gmask = (struct bpf_cpumask *)ctx;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

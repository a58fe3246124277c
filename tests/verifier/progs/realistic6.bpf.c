/* Realistic programs built for cpu v4 (signed division and modulo, sign-extending moves and
 * loads, 32-bit bounds after casts) and BTF pointer walks in tp_btf/raw_tp programs, some with
 * deliberate bugs (tests/verifier/test_realistic.py holds each kernel verdict). */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

/* BTF anchors: forward-declared structs, else clang orders them by path hashes */
struct bpf_flow_keys *flow_keys_type_anchor;
struct net_device_ops *ndo_type_anchor;

__u64 buckets[16];
volatile int divisor;
volatile signed char delta;
volatile short sdelta;

/* signed average: accept (division by zero yields zero) */
SEC("tc")
int d_sdiv_avg(struct __sk_buff *skb)
{
	long sum = (long)skb->len - 1000;

	return (int)(sum / (long)divisor) & 1;
}

/* signed modulo as an index: reject (negative result) */
SEC("tc")
int d_smod_index(struct __sk_buff *skb)
{
	int i = (int)skb->mark % 16;

	return buckets[i] & 1;
}

/* signed modulo made non-negative: accept */
SEC("tc")
int d_smod_fixed(struct __sk_buff *skb)
{
	int i = (int)skb->mark % 16;

	if (i < 0)
		i = -i;
	return buckets[i] & 1;
}

/* unsigned modulo as an index: accept */
SEC("tc")
int d_umod_index(struct __sk_buff *skb)
{
	__u32 i = skb->mark % 16;

	return buckets[i] & 1;
}

/* signed division by a constant used as an index: reject */
SEC("tc")
int d_sdiv_const_index(struct __sk_buff *skb)
{
	int i = (int)skb->mark / 1000000000;

	return buckets[i] & 1;
}

/* sign-extended byte as an index, checked both sides: accept */
SEC("tc")
int x_movsx_checked(struct __sk_buff *skb)
{
	long i = (signed char)skb->mark;

	if (i < 0 || i >= 16)
		return 0;
	return buckets[i] & 1;
}

/* sign-extended byte checked only above: reject */
SEC("tc")
int x_movsx_upper_only(struct __sk_buff *skb)
{
	long i = (signed char)skb->mark;

	if (i >= 16)
		return 0;
	return buckets[i] & 1;
}

/* sign-extending loads of globals: accept */
SEC("tc")
int x_ldsx_global(struct __sk_buff *skb)
{
	long a = delta, b = sdelta;

	if (a < -8 || a > 7 || b < 0 || b > 7)
		return 0;
	return buckets[a + 8] & buckets[b] & 1;
}

/* sign-extending packet load as an offset: reject (may be negative) */
SEC("tc")
int x_ldsx_pkt_off(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	signed char *p = data;
	long off;

	if ((void *)(p + 1) > end)
		return 0;
	off = *p;
	if (off > 15)
		return 0;
	return buckets[off] & 1;
}

/* 32-bit truncation of a 64-bit value, masked: accept */
SEC("tc")
int b32_trunc_mask(struct __sk_buff *skb)
{
	__u64 v = ((__u64)skb->hash << 32) | skb->mark;
	__u32 i = (__u32)v & 15;

	return buckets[i] & 1;
}

/* 32-bit compare, 64-bit use: reject */
SEC("tc")
int b32_cmp_64_use(struct __sk_buff *skb)
{
	__u64 v = ((__u64)skb->hash << 32) | skb->mark;

	if ((__u32)v >= 16)
		return 0;
	return buckets[v] & 1;
}

/* int cast of a bounded u64: accept */
SEC("tc")
int b32_int_cast(struct __sk_buff *skb)
{
	__u64 v = skb->len;
	int i;

	if (v > 15)
		return 0;
	i = (int)v;
	return buckets[i] & 1;
}

/* subtracting in 32 bits wraps: reject */
SEC("tc")
int b32_sub_wrap(struct __sk_buff *skb)
{
	__u32 a = skb->len & 15, b = skb->mark & 15;
	__u32 i = a - b;

	if (i > 100)
		i = 0;
	return buckets[i] & 1;
}

/* read the comm of the next task's parent's parent: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(w_nested_parent, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *gp = next->real_parent->real_parent;
	char c = gp->comm[0];

	return c == 's';
}

/* an array member indexed by a constant: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(w_array_const, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return next->comm[15];
}

/* an array member indexed by a variable: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(w_array_var, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	int i = next->pid & 15;

	return next->comm[i];
}

/* a union member of struct sk_buff: accept */
SEC("tp_btf/kfree_skb")
int BPF_PROG(w_skb_union, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return skb->dev ? skb->dev->ifindex & 1 : 0;
}

/* past the end of a struct: reject */
SEC("tp_btf/kfree_skb")
int BPF_PROG(w_past_end, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	return *(int *)((char *)skb + sizeof(struct sk_buff));
}

/* write to a tracepoint argument's member: reject */
SEC("tp_btf/kfree_skb")
int BPF_PROG(w_write_member, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	skb->mark = 1;
	return 0;
}

/* the mm's pgd walked in raw_tp (untrusted chain): accept */
SEC("raw_tp/sched_switch")
int w_raw_tp_walk(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx->args[2];
	struct task_struct *t = BPF_CORE_READ(next, real_parent);

	return t ? 1 : 0;
}

/* raw_tp argument dereferenced directly: reject */
SEC("raw_tp/sched_switch")
int w_raw_tp_deref(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx->args[2];

	return next->pid;
}

/* nested files walk with an array index in bounds: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(w_mm_counters, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct mm_struct *mm = next->mm;

	if (!mm)
		return 0;
	return mm->map_count & 1;
}

/* pointer arithmetic on a BTF pointer with a variable: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(w_var_off, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	char *p = (char *)next + (next->pid & 7);

	return *p;
}

/* trusted arg to a kfunc after a walk in tp_btf: reject (walked pointer not trusted) */
SEC("tp_btf/sched_switch")
int BPF_PROG(w_walked_to_kfunc, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *gl = next->group_leader;
	struct task_struct *t = bpf_task_acquire(gl->group_leader);

	if (t)
		bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

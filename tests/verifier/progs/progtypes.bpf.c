/* socket and cgroup program types, maps of maps, may_goto, bpf_trace_printk and bpf_timer
 * (tests/verifier/test_progtypes.py): each program's kernel verdict is in the test and
 * checked against the running kernel. */
#include "corpus.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} inner0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner0 },
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} counts SEC(".maps");

/* ---- cgroup_sock ---- */

/* sock_create may write mark: accept */
SEC("cgroup/sock_create")
int sock_create_mark(struct bpf_sock *sk)
{
	sk->mark = 7;
	return 1;
}

/* src_ip4 is readable in post_bind4 only: reject "invalid bpf_context access off=24 size=4" */
SEC("cgroup/sock_create")
int sock_create_src_ip4(struct bpf_sock *sk)
{
	return sk->src_ip4 != 0;
}

/* post_bind4 reads src_port and a byte of family: accept */
SEC("cgroup/post_bind4")
int post_bind4_port(struct bpf_sock *sk)
{
	if (*(volatile __u8 *)&sk->family != 2)
		return 1;
	return sk->src_port != 22;
}

/* post_bind4 may not write mark: reject "invalid bpf_context access off=16 size=4" */
SEC("cgroup/post_bind4")
int post_bind4_mark(struct bpf_sock *sk)
{
	sk->mark = 1;
	return 1;
}

/* dst_port read as a 16-bit field: accept */
SEC("cgroup/sock_release")
int sock_release_dst_port(struct bpf_sock *sk)
{
	return sk->dst_port == 0;
}

/* ---- sock_ops ---- */

/* sk is a socket or NULL; sk_txhash is writable: accept */
SEC("sockops")
int sock_ops_sk(struct bpf_sock_ops *ops)
{
	struct bpf_sock *sk = ops->sk;

	if (!sk)
		return 1;
	ops->sk_txhash = 1;
	return 1;
}

/* bytes_received is a u64: reject "invalid bpf_context access off=168 size=4" */
SEC("sockops")
int sock_ops_bytes_narrow(struct bpf_sock_ops *ops)
{
	return *(volatile __u32 *)&ops->bytes_received != 0;
}

/* packet data read after a bounds check: accept */
SEC("sockops")
int sock_ops_pkt_read(struct bpf_sock_ops *ops)
{
	__u8 *data = ops->skb_data, *end = ops->skb_data_end;

	if (data + 1 > end)
		return 1;
	return data[0] == 0x45;
}

/* packet data may not be written: reject "cannot write into pkt" */
SEC("sockops")
int sock_ops_pkt_write(struct bpf_sock_ops *ops)
{
	__u8 *data = ops->skb_data, *end = ops->skb_data_end;

	if (data + 1 > end)
		return 1;
	data[0] = 0;
	return 1;
}

/* ---- sk_msg ---- */

/* packet data read and written after a bounds check: accept */
SEC("sk_msg")
int sk_msg_pkt(struct sk_msg_md *msg)
{
	__u8 *data = msg->data, *end = msg->data_end;

	if (data + 2 > end)
		return 1;
	data[1] = data[0];
	return 1;
}

/* packet data read past the checked bound: reject "R2 offset is outside of the packet" */
SEC("sk_msg")
int sk_msg_pkt_past(struct sk_msg_md *msg)
{
	__u8 *data = msg->data, *end = msg->data_end;

	if (data + 1 > end)
		return 1;
	return data[1];
}

/* fields are read whole: reject "invalid bpf_context access off=16 size=2" */
SEC("sk_msg")
int sk_msg_family_narrow(struct sk_msg_md *msg)
{
	return *(volatile __u16 *)&msg->family;
}

/* ---- sk_lookup ---- */

/* remote_port as a 16-bit field, sk checked for NULL: accept */
SEC("sk_lookup")
int sk_lookup_port(struct bpf_sk_lookup *ctx)
{
	struct bpf_sock *sk = ctx->sk;

	if (sk)
		return 1;
	return ctx->remote_port == 53;
}

/* the context is read only: reject "invalid bpf_context access off=60 size=4" */
SEC("sk_lookup")
int sk_lookup_write(struct bpf_sk_lookup *ctx)
{
	ctx->local_port = 0;
	return 1;
}

/* ---- cgroup_sysctl ---- */

/* write read as a byte, file_pos written: accept */
SEC("cgroup/sysctl")
int sysctl_file_pos(struct bpf_sysctl *ctx)
{
	if (*(volatile __u8 *)&ctx->write)
		ctx->file_pos = 0;
	return 1;
}

/* file_pos is written whole: reject "invalid bpf_context access off=4 size=2" */
SEC("cgroup/sysctl")
int sysctl_file_pos_narrow(struct bpf_sysctl *ctx)
{
	*(volatile __u16 *)&ctx->file_pos = 0;
	return 1;
}

/* sysctl programs return 0 or 1: reject "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]" */
SEC("cgroup/sysctl")
int sysctl_ret(struct bpf_sysctl *ctx)
{
	return 2;
}

/* ---- maps of maps ---- */

/* a hash-of-maps lookup, checked, then an inner lookup: accept */
SEC("tc")
int hash_of_maps(struct __sk_buff *skb)
{
	u32 key = 0;
	void *map = bpf_map_lookup_elem(&outer, &key);
	u64 *v;

	if (!map)
		return 0;
	v = bpf_map_lookup_elem(map, &key);
	return v ? *v : 0;
}

/* a load through the inner map pointer: reject "R0 invalid mem access 'map_ptr_or_null'" */
SEC("tc")
int map_ptr_load(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *map = bpf_map_lookup_elem(&outer, &key);

	return *map;
}

/* ---- may_goto ---- */

/* a loop whose state repeats, bounded by may_goto: accept */
SEC("raw_tp")
int may_goto_repeat(void *ctx)
{
	u32 key = 0;
	u64 *n = bpf_map_lookup_elem(&counts, &key);
	u64 x;

	if (!n)
		return 0;
	x = *n;
	while (x > 1) {
		asm volatile goto("may_goto %l[out]" :::: out);
		x = x >> 1;
	}
out:
	*n = x;
	return 0;
}

/* a map value used without a NULL check inside a may_goto loop: reject "R0 invalid mem access 'map_value_or_null'" */
SEC("raw_tp")
int may_goto_null(void *ctx)
{
	u32 key = bpf_get_prandom_u32();
	u64 *n;

	for (;;) {
		asm volatile goto("may_goto %l[out]" :::: out);
		n = bpf_map_lookup_elem(&counts, &key);
		*n += 1;
	}
out:
	return 0;
}

/* a counter converges only by widening it (imprecise: never compared): accept */
SEC("raw_tp")
int may_goto_counter(void *ctx)
{
	u32 key = 0, i = 0;
	u64 *n = bpf_map_lookup_elem(&counts, &key);

	if (!n)
		return 0;
	for (;;) {
		asm volatile goto("may_goto %l[out]" :::: out);
		i++;
	}
out:
	*n = i;
	return 0;
}

/* a counted loop under may_goto, unrolled while i indexes the stack: accept */
SEC("raw_tp")
int may_goto_bounded(void *ctx)
{
	u64 buf[8] = {}, sum = 0;
	u32 i;

	for (i = 0; i < 8; i++) {
		asm volatile goto("may_goto %l[out]" :::: out);
		sum += buf[i];
	}
out:
	return sum;
}

/* ---- bpf_trace_printk ---- */

/* bpf_printk: accept */
SEC("tc")
int printk_tc(struct __sk_buff *skb)
{
	bpf_printk("len %u", skb->len);
	return 0;
}

/* a zero size: reject "R2 invalid zero-sized read: u64=[0,0]" */
SEC("tc")
int printk_zero(struct __sk_buff *skb)
{
	static const char fmt[] = "x";

	return bpf_trace_printk(fmt, 0);
}

/* ---- bpf_timer ---- */

struct elem {
	u64 seen;
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, struct elem);
} timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, u32);
	__type(value, struct elem);
} timers2 SEC(".maps");

static int tick(void *map, u32 *key, struct elem *e)
{
	e->seen = *key;
	return 0;
}

static int tick_ptr(void *map, u32 *key, struct elem *e)
{
	return (long)e;
}

/* init, set_callback (the callback reads its key), start: accept */
SEC("tc")
int timer_ok(struct __sk_buff *skb)
{
	u32 key = 1;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);

	if (!e)
		return 0;
	bpf_timer_init(&e->timer, &timers, 1);
	bpf_timer_set_callback(&e->timer, tick);
	bpf_timer_start(&e->timer, 1000, 0);
	bpf_timer_cancel(&e->timer);
	return 0;
}

/* the timer must be the value's bpf_timer: reject "off 0 doesn't point to 'struct bpf_timer' that is at 8" */
SEC("tc")
int timer_offset(struct __sk_buff *skb)
{
	u32 key = 1;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);

	if (!e)
		return 0;
	bpf_timer_init((struct bpf_timer *)&e->seen, &timers, 1);
	return 0;
}

/* a value without a timer: reject "map 'counts' has no valid bpf_timer" */
SEC("tc")
int timer_no_field(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counts, &key);

	if (!v)
		return 0;
	bpf_timer_init((struct bpf_timer *)v, &counts, 1);
	return 0;
}

/* the timer's map is not the map argument: reject "timer pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0" */
SEC("tc")
int timer_other_map(struct __sk_buff *skb)
{
	u32 key = 1;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);

	if (!e)
		return 0;
	bpf_timer_init(&e->timer, &timers2, 1);
	return 0;
}

/* the value may be NULL: reject "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first" */
SEC("tc")
int timer_maybe_null(struct __sk_buff *skb)
{
	u32 key = bpf_get_prandom_u32();
	struct elem *e = bpf_map_lookup_elem(&timers, &key);

	bpf_timer_start(&e->timer, 1000, 0);
	return 0;
}

/* the callback returns a pointer: reject "At async callback return the register R0 is not a known value (map_value)" */
SEC("tc")
int timer_cb_ptr(struct __sk_buff *skb)
{
	u32 key = 1;
	struct elem *e = bpf_map_lookup_elem(&timers, &key);

	if (!e)
		return 0;
	bpf_timer_set_callback(&e->timer, tick_ptr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

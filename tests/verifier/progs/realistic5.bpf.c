/* Realistic networking programs (socket lookups and casts, xdp head/tail/meta adjustments,
 * skb load/store/pull and checksum helpers, global functions, spin locks with subprograms),
 * some with deliberate bugs (tests/verifier/test_realistic.py holds each kernel verdict). */
#include "corpus.h"
#include <bpf/bpf_endian.h>

#define ETH_P_IP 0x0800
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

struct flow_val {
	struct bpf_spin_lock lock;
	__u64 pkts;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct flow_val);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* tcp socket lookup from the packet's tuple, released: accept */
SEC("tc")
int s_lookup_tcp(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct tcphdr *tcp = (void *)(ip + 1);
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk;
	int r = TC_ACT_OK;

	if ((void *)(tcp + 1) > end || ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	t.ipv4.saddr = ip->saddr;
	t.ipv4.daddr = ip->daddr;
	t.ipv4.sport = tcp->source;
	t.ipv4.dport = tcp->dest;
	sk = bpf_sk_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_SHOT;
	if (sk->state == 10)
		r = TC_ACT_SHOT;
	bpf_sk_release(sk);
	return r;
}

/* lookup leaked on one path: reject */
SEC("tc")
int s_lookup_leak(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk;

	sk = bpf_sk_lookup_udp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return 0;
	if (sk->protocol != IPPROTO_UDP)
		return 1;
	bpf_sk_release(sk);
	return 0;
}

/* tuple pointer straight into the packet: accept */
SEC("tc")
int s_lookup_pkt_tuple(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct bpf_sock_tuple *t = data + 26;
	struct bpf_sock *sk;

	if ((void *)t + sizeof(t->ipv4) > end)
		return 0;
	sk = bpf_sk_lookup_tcp(skb, t, sizeof(t->ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk)
		bpf_sk_release(sk);
	return 0;
}

/* tuple size beyond the checked packet: reject */
SEC("tc")
int s_lookup_pkt_short(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct bpf_sock_tuple *t = data + 26;
	struct bpf_sock *sk;

	if ((void *)t + 8 > end)
		return 0;
	sk = bpf_sk_lookup_tcp(skb, t, sizeof(t->ipv4), BPF_F_CURRENT_NETNS, 0);
	if (sk)
		bpf_sk_release(sk);
	return 0;
}

/* released twice: reject */
SEC("tc")
int s_double_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);

	if (!sk)
		return 0;
	bpf_sk_release(sk);
	bpf_sk_release(sk);
	return 0;
}

/* skc lookup, cast to tcp_sock and read its window: accept */
SEC("tc")
int s_skc_to_tcp(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	struct tcp_sock *tp;
	__u32 w = 0;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (tp)
		w = tp->snd_cwnd;
	bpf_sk_release(sk);
	return w & 1;
}

/* the cast's result not null-checked: reject */
SEC("tc")
int s_skc_to_tcp_nonull(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	struct tcp_sock *tp;
	__u32 w;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	w = tp->snd_cwnd;
	bpf_sk_release(sk);
	return w & 1;
}

/* the cast pointer used after the release: reject */
SEC("tc")
int s_cast_after_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	struct tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	bpf_sk_release(sk);
	if (!tp)
		return 0;
	return tp->snd_cwnd & 1;
}

/* skb->sk to fullsock: accept */
SEC("tc")
int s_fullsock(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 0;
	return sk->mark & 1;
}

/* skb->sk not null-checked: reject */
SEC("tc")
int s_fullsock_nonull(struct __sk_buff *skb)
{
	struct bpf_sock *sk = bpf_sk_fullsock(skb->sk);

	return sk ? 1 : 0;
}

/* tcp_sock from skb->sk: accept */
SEC("tc")
int s_tcp_sock(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 0;
	return tp->snd_cwnd & 1;
}

/* write to a bpf_sock field: reject */
SEC("tc")
int s_sock_write(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	sk->mark = 1;
	return 0;
}

/* xdp adjust head then re-derive the pointers: accept */
SEC("xdp")
int x_pop_header(struct xdp_md *ctx)
{
	void *data, *end;

	if (bpf_xdp_adjust_head(ctx, 4))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + sizeof(struct ethhdr) > end)
		return XDP_DROP;
	return ((struct ethhdr *)data)->h_proto == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}

/* stale data pointer after adjust_tail: reject */
SEC("xdp")
int x_tail_stale(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	bpf_xdp_adjust_tail(ctx, -4);
	return eth->h_proto ? XDP_PASS : XDP_DROP;
}

/* metadata area written after adjust_meta: accept */
SEC("xdp")
int x_meta(struct xdp_md *ctx)
{
	void *data, *meta;
	__u32 *m;

	if (bpf_xdp_adjust_meta(ctx, -4))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	m = meta;
	if ((void *)(m + 1) > data)
		return XDP_PASS;
	*m = 0xabcd;
	return XDP_PASS;
}

/* metadata written past data: reject */
SEC("xdp")
int x_meta_overrun(struct xdp_md *ctx)
{
	void *data, *meta;
	__u32 *m;

	if (bpf_xdp_adjust_meta(ctx, -4))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	m = meta;
	if ((void *)(m + 1) > data)
		return XDP_PASS;
	m[1] = 0xabcd;
	return XDP_PASS;
}

/* metadata read without the check against data: reject */
SEC("xdp")
int x_meta_unchecked(struct xdp_md *ctx)
{
	__u32 *m = (void *)(long)ctx->data_meta;

	return *m & 1;
}

/* xdp tail grown then the new end re-read: accept */
SEC("xdp")
int x_tail_grow(struct xdp_md *ctx)
{
	void *data, *end;
	__u8 *p;

	if (bpf_xdp_adjust_tail(ctx, 8))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	p = end - 8;
	if ((void *)p < data || (void *)(p + 8) > end)
		return XDP_PASS;
	p[0] = 1;
	return XDP_PASS;
}

/* skb load bytes into a stack buffer: accept */
SEC("tc")
int b_load_bytes(struct __sk_buff *skb)
{
	struct iphdr ip;

	if (bpf_skb_load_bytes(skb, 14, &ip, sizeof(ip)))
		return TC_ACT_OK;
	return ip.ttl < 2 ? TC_ACT_SHOT : TC_ACT_OK;
}

/* load bytes with a variable, unchecked length: reject */
SEC("tc")
int b_load_var_len(struct __sk_buff *skb)
{
	char buf[64];
	__u32 len = skb->len;

	if (bpf_skb_load_bytes(skb, 0, buf, len))
		return 0;
	return buf[0];
}

/* load bytes with a bounded variable length: accept */
SEC("tc")
int b_load_bounded_len(struct __sk_buff *skb)
{
	char buf[64];
	__u32 len = skb->len & 63;

	if (len == 0)
		return 0;
	if (bpf_skb_load_bytes(skb, 0, buf, len))
		return 0;
	return buf[0];
}

/* store bytes + l3/l4 checksum fix: accept */
SEC("tc")
int b_rewrite_ttl(struct __sk_buff *skb)
{
	__u8 old_ttl, new_ttl = 64;
	__u16 old = 0, new = 0;

	if (bpf_skb_load_bytes(skb, 14 + 8, &old_ttl, 1))
		return 0;
	old = old_ttl << 8;
	new = new_ttl << 8;
	bpf_l3_csum_replace(skb, 14 + 10, bpf_htons(old), bpf_htons(new), 2);
	bpf_skb_store_bytes(skb, 14 + 8, &new_ttl, 1, 0);
	bpf_l4_csum_replace(skb, 14 + 20 + 16, 0, 0, BPF_F_PSEUDO_HDR | 4);
	return 0;
}

/* packet pointer used after store_bytes: reject */
SEC("tc")
int b_store_stale(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__u8 v = 1;

	if ((void *)(eth + 1) > end)
		return 0;
	bpf_skb_store_bytes(skb, 0, &v, 1, 0);
	return eth->h_proto;
}

/* pull data then reload: accept */
SEC("tc")
int b_pull_reload(struct __sk_buff *skb)
{
	void *data, *end;

	if (bpf_skb_pull_data(skb, 64))
		return 0;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if (data + 64 > end)
		return 0;
	return ((__u8 *)data)[63];
}

/* pull data, no reload: reject */
SEC("tc")
int b_pull_stale(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 64 > end)
		return 0;
	bpf_skb_pull_data(skb, 128);
	return ((__u8 *)data)[63];
}

/* store bytes from uninitialized stack: reject */
SEC("tc")
int b_store_uninit(struct __sk_buff *skb)
{
	__u32 v;

	bpf_skb_store_bytes(skb, 0, &v, sizeof(v), 0);
	return 0;
}

/* global function taking the ctx and a scalar: accept */
__noinline int count_proto(struct __sk_buff *skb, __u32 slot)
{
	__u64 *v;

	if (!skb)
		return 0;
	v = bpf_map_lookup_elem(&stats, &slot);
	if (v)
		__sync_fetch_and_add(v, skb->len);
	return 0;
}

SEC("tc")
int g_ctx_arg(struct __sk_buff *skb)
{
	return count_proto(skb, skb->protocol & 15);
}

/* global function taking a nullable pointer to a struct on the stack */
struct acc {
	__u64 a;
	__u64 b;
};

__noinline int acc_add(struct acc *x, __u64 v)
{
	if (!x)
		return -1;
	x->a += v;
	x->b++;
	return 0;
}

SEC("tc")
int g_mem_arg(struct __sk_buff *skb)
{
	struct acc x = {};

	acc_add(&x, skb->len);
	acc_add(0, 1);
	return x.b & 1;
}

/* the same global without the NULL check inside it: reject */
__noinline int acc_add_nocheck(struct acc *x, __u64 v)
{
	x->a += v;
	return 0;
}

SEC("tc")
int g_mem_arg_small(struct __sk_buff *skb)
{
	__u64 small = 0;

	acc_add_nocheck((struct acc *)&small, skb->len);
	return small & 1;
}

/* global function returning a value used as an index: reject unbounded */
__noinline int pick_slot(__u32 x)
{
	return x * 7;
}

SEC("tc")
int g_ret_index(struct __sk_buff *skb)
{
	__u64 arr[8] = {};
	int i = pick_slot(skb->mark);

	return arr[i] & 1;
}

/* global function with a packet pointer argument: reject (not a ctx/mem type it accepts) */
__noinline int sum_bytes(__u8 *p, int n)
{
	int s = 0;

	if (!p)
		return 0;
	for (int i = 0; i < 4 && i < n; i++)
		s += p[i];
	return s;
}

SEC("tc")
int g_pkt_arg(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;

	if (data + 4 > end)
		return 0;
	return sum_bytes(data, 4);
}

/* spin lock taken in the caller, static subprogram updates the value: accept */
static __noinline void bump(struct flow_val *v, __u64 len)
{
	v->pkts++;
	v->bytes += len;
}

SEC("tc")
int l_static_in_lock(struct __sk_buff *skb)
{
	__u32 key = skb->hash;
	struct flow_val *v = bpf_map_lookup_elem(&flows, &key);

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	bump(v, skb->len);
	bpf_spin_unlock(&v->lock);
	return 0;
}

/* global function called while holding the lock: reject */
__noinline int bump_global(struct flow_val *v)
{
	if (v)
		v->pkts++;
	return 0;
}

SEC("tc")
int l_global_in_lock(struct __sk_buff *skb)
{
	__u32 key = skb->hash;
	struct flow_val *v = bpf_map_lookup_elem(&flows, &key);

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	bump_global(v);
	bpf_spin_unlock(&v->lock);
	return 0;
}

/* lock taken in a static subprogram and released by the caller: accept? */
static __noinline void take(struct flow_val *v)
{
	bpf_spin_lock(&v->lock);
}

SEC("tc")
int l_lock_in_subprog(struct __sk_buff *skb)
{
	__u32 key = skb->hash;
	struct flow_val *v = bpf_map_lookup_elem(&flows, &key);

	if (!v)
		return 0;
	take(v);
	v->pkts++;
	bpf_spin_unlock(&v->lock);
	return 0;
}

/* unlock of a different map value: reject */
SEC("tc")
int l_unlock_other(struct __sk_buff *skb)
{
	__u32 k1 = 1, k2 = 2;
	struct flow_val *a = bpf_map_lookup_elem(&flows, &k1);
	struct flow_val *b = bpf_map_lookup_elem(&flows, &k2);

	if (!a || !b)
		return 0;
	bpf_spin_lock(&a->lock);
	bpf_spin_unlock(&b->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

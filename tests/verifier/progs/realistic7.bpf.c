/* Realistic socket programs (fields of bpf_sock, sock_common and bpf_tcp_sock, references
 * through pointer casts) and ring buffer dynptr slices, some with deliberate bugs
 * (tests/verifier/test_realistic2.py holds each kernel verdict). */
#include "corpus.h"
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

static __always_inline struct bpf_sock *lookup(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};

	t.ipv4.dport = bpf_htons(80);
	return bpf_sk_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
}

/* a full socket cast of a looked-up socket, released through the cast: accept */
SEC("tc")
int c_release_cast(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb), *full;

	if (!sk)
		return 0;
	full = bpf_sk_fullsock(sk);
	if (!full) {
		bpf_sk_release(sk);
		return 0;
	}
	bpf_sk_release(full);
	return 0;
}

/* the cast is NULL and the reference is left: reject */
SEC("tc")
int c_cast_null_leak(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb), *full;

	if (!sk)
		return 0;
	full = bpf_sk_fullsock(sk);
	if (!full)
		return 0;
	bpf_sk_release(full);
	return 0;
}

/* the original used after a release through the cast: reject */
SEC("tc")
int c_orig_after_cast_release(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb), *full;

	if (!sk)
		return 0;
	full = bpf_sk_fullsock(sk);
	if (!full) {
		bpf_sk_release(sk);
		return 0;
	}
	bpf_sk_release(full);
	return sk->protocol;
}

/* tcp_sock of a looked-up socket, u64 counters: accept */
SEC("tc")
int c_tcp_counters(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb);
	struct bpf_tcp_sock *tp;
	__u64 b = 0;

	if (!sk)
		return 0;
	tp = bpf_tcp_sock(sk);
	if (tp)
		b = tp->bytes_received + tp->bytes_acked + tp->icsk_retransmits;
	bpf_sk_release(sk);
	return b & 1;
}

/* a u64 counter read as 32 bits: reject */
SEC("tc")
int c_tcp_counter_narrow(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb);
	struct bpf_tcp_sock *tp;
	__u32 b = 0;

	if (!sk)
		return 0;
	tp = bpf_tcp_sock(sk);
	if (tp)
		b = *(__u32 *)&tp->bytes_received;
	bpf_sk_release(sk);
	return b & 1;
}

/* a narrow load of a port and an address byte: accept */
SEC("tc")
int c_sock_narrow(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb);
	__u16 port;
	__u8 b;

	if (!sk)
		return 0;
	port = sk->dst_port;
	b = *(__u8 *)&sk->src_ip4;
	bpf_sk_release(sk);
	return (port + b) & 1;
}

/* the padding after dst_port: reject */
SEC("tc")
int c_sock_pad(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb);
	__u16 v;

	if (!sk)
		return 0;
	v = *((__u16 *)&sk->dst_port + 1);
	bpf_sk_release(sk);
	return v & 1;
}

/* a narrow load of mark (whole-field only): reject */
SEC("tc")
int c_sock_mark_narrow(struct __sk_buff *skb)
{
	struct bpf_sock *sk = lookup(skb);
	__u8 v;

	if (!sk)
		return 0;
	v = *(__u8 *)&sk->mark;
	bpf_sk_release(sk);
	return v & 1;
}

/* skb->sk's priority (not in sock_common): reject */
SEC("tc")
int c_common_priority(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	return sk->priority & 1;
}

/* skb->sk's family and ports (in sock_common): accept */
SEC("tc")
int c_common_family(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	return (sk->family + sk->src_port + sk->dst_port + sk->state) & 1;
}

/* the full socket's priority and mark: accept */
SEC("tc")
int c_full_priority(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 0;
	return (sk->priority + sk->mark + sk->type) & 1;
}

/* tcp_sock in cgroup_skb: accept */
SEC("cgroup_skb/egress")
int c_cgskb_tcp(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;

	if (!sk)
		return 1;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 1;
	return tp->snd_cwnd > 10 ? 1 : 0;
}

/* sk_fullsock in xdp: reject (not offered) */
SEC("xdp")
int c_xdp_fullsock(struct xdp_md *ctx)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(ctx, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);

	if (!sk)
		return XDP_PASS;
	bpf_sk_release(sk);
	return XDP_PASS;
}

/* a ring buffer dynptr whose slice is NULL, discarded: accept */
SEC("tc")
int c_dynptr_slice_null(struct __sk_buff *skb)
{
	struct bpf_dynptr d;
	__u32 *p;

	bpf_ringbuf_reserve_dynptr(&events, 16, 0, &d);
	p = bpf_dynptr_data(&d, 0, 4);
	if (!p) {
		bpf_ringbuf_discard_dynptr(&d, 0);
		return 0;
	}
	*p = skb->len;
	bpf_ringbuf_submit_dynptr(&d, 0);
	return 0;
}

/* the dynptr leaked when its slice is NULL: reject */
SEC("tc")
int c_dynptr_slice_null_leak(struct __sk_buff *skb)
{
	struct bpf_dynptr d;
	__u32 *p;

	bpf_ringbuf_reserve_dynptr(&events, 16, 0, &d);
	p = bpf_dynptr_data(&d, 0, 4);
	if (!p)
		return 0;
	*p = skb->len;
	bpf_ringbuf_submit_dynptr(&d, 0);
	return 0;
}

/* tcp_sock pointer written: reject */
SEC("tc")
int c_tcp_write(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 0;
	tp->snd_cwnd = 1;
	return 0;
}

/* past the end of bpf_tcp_sock: reject */
SEC("tc")
int c_tcp_past_end(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 0;
	return *(__u32 *)((char *)tp + 112);
}

/* skc_to_tcp_sock of skb->sk, fields read: accept */
SEC("tc")
int c_skc_cast_read(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	return (tp->srtt_us + tp->inet_conn.icsk_retransmits) & 1;
}

/* the BTF cast written: reject */
SEC("tc")
int c_skc_cast_write(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	tp->snd_cwnd = 1;
	return 0;
}

/* the BTF cast of a looked-up socket released: accept */
SEC("tc")
int c_skc_cast_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	struct tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp) {
		bpf_sk_release(sk);
		return 0;
	}
	bpf_sk_release((struct bpf_sock *)tp);
	return 0;
}

/* the BTF cast NULL and the socket leaked: reject */
SEC("tc")
int c_skc_cast_null_leak(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	struct tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	bpf_sk_release(sk);
	return 0;
}

/* a tcp_sock from the cast passed on to sk_fullsock: reject */
SEC("tc")
int c_skc_cast_fullsock(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	return bpf_sk_fullsock((struct bpf_sock *)tp) ? 1 : 0;
}

/* the cast of a NULL-unchecked lookup: reject */
SEC("tc")
int c_skc_cast_unchecked(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);

	if (sk)
		bpf_sk_release(sk);
	return tp ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";

/* Realistic networking programs in the style of real projects (packet parsing, maps with struct
 * values, per-CPU maps, ring buffers, spin locks, tail calls, callbacks, subprograms), some with
 * deliberate bugs (tests/verifier/test_realistic.py holds each program's kernel verdict). */
#include "corpus.h"
#include <bpf/bpf_endian.h>
#include "realistic.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

struct fkey {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct pkt_stats {
	__u64 packets;
	__u64 bytes;
	__u64 last_seen;
};

struct locked_stats {
	struct bpf_spin_lock lock;
	__u64 packets;
	__u64 bytes;
};

struct pkt_event {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 len;
	char tag[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct fkey);
	__type(value, struct pkt_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 128);
	__type(key, __u16);
	__type(value, struct pkt_stats);
} port_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct locked_stats);
} lstats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} jmp_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[64]);
} scratch SEC(".maps");

/* eth, ipv4 with a variable header length, tcp ports: accept */
SEC("xdp")
int xdp_ipv4_tcp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct tcphdr *tcp;
	struct fkey key = {};
	struct pkt_stats *st, init = {};

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (ip->ihl < 5 || ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	tcp = (void *)ip + ip->ihl * 4;
	if ((void *)(tcp + 1) > data_end)
		return XDP_PASS;
	key.saddr = ip->saddr;
	key.daddr = ip->daddr;
	key.sport = tcp->source;
	key.dport = tcp->dest;
	key.proto = IPPROTO_TCP;
	st = bpf_map_lookup_elem(&flows, &key);
	if (!st) {
		init.packets = 1;
		init.bytes = data_end - data;
		bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
		return XDP_PASS;
	}
	__sync_fetch_and_add(&st->packets, 1);
	__sync_fetch_and_add(&st->bytes, data_end - data);
	st->last_seen = bpf_ktime_get_ns();
	return XDP_PASS;
}

/* tcp header at ihl*4 read without a new bounds check: reject */
SEC("xdp")
int xdp_ihl_unchecked(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	tcp = (void *)ip + ip->ihl * 4;
	if ((void *)ip + 40 > data_end)
		return XDP_PASS;
	return tcp->dest == bpf_htons(80) ? XDP_DROP : XDP_PASS;
}

/* up to two VLAN tags, then the protocol byte counted per CPU: accept */
SEC("xdp")
int xdp_vlan_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u16 proto;
	__u64 off;
	__u32 key;
	__u64 *cnt;

	off = sizeof(*eth);
	if (data + off > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		struct vlan_hdr *vh;

		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		vh = data + off;
		if ((void *)(vh + 1) > data_end)
			return XDP_PASS;
		proto = vh->h_vlan_encapsulated_proto;
		off += sizeof(*vh);
	}
	if (proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	{
		struct iphdr *ip = data + off;

		if ((void *)(ip + 1) > data_end)
			return XDP_PASS;
		key = ip->protocol;
	}
	cnt = bpf_map_lookup_elem(&proto_count, &key);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}

/* bounds check one byte short of the ethernet header it reads: reject */
SEC("xdp")
int xdp_eth_off_by_one(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if (data + sizeof(*eth) - 1 > data_end)
		return XDP_PASS;
	return eth->h_proto == bpf_htons(ETH_P_IPV6) ? XDP_DROP : XDP_PASS;
}

/* ipv6 and a bounded walk over extension headers: accept */
SEC("xdp")
int xdp_ipv6_exthdr(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6;
	__u8 nexthdr;
	void *cur;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 1) > data_end)
		return XDP_PASS;
	nexthdr = ip6->nexthdr;
	cur = ip6 + 1;
	for (int i = 0; i < 4; i++) {
		struct ipv6_opt_hdr *oh = cur;

		if (nexthdr != 0 && nexthdr != 43 && nexthdr != 60)
			break;
		if ((void *)(oh + 1) > data_end)
			return XDP_PASS;
		nexthdr = oh->nexthdr;
		cur += (oh->hdrlen + 1) * 8;
	}
	if (nexthdr == IPPROTO_UDP) {
		struct udphdr *udp = cur;

		if ((void *)(udp + 1) > data_end)
			return XDP_PASS;
		if (udp->dest == bpf_htons(53))
			return XDP_DROP;
	}
	return XDP_PASS;
}

/* a packet pointer used after bpf_xdp_adjust_head: reject */
SEC("xdp")
int xdp_adjust_stale(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (bpf_xdp_adjust_head(ctx, -4))
		return XDP_DROP;
	return eth->h_proto == 0 ? XDP_DROP : XDP_PASS;
}

/* re-reading data and data_end after bpf_xdp_adjust_head: accept */
SEC("xdp")
int xdp_adjust_reload(struct xdp_md *ctx)
{
	void *data, *data_end;
	__u32 *hdr;

	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(*hdr)))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	hdr = data;
	if ((void *)(hdr + 1) > data_end)
		return XDP_DROP;
	*hdr = bpf_htonl(0xdeadbeef);
	return XDP_TX;
}

/* udp flow stats per destination port in a per-CPU hash: accept */
SEC("tc")
int tc_udp_ports(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;
	struct pkt_stats *st, zero = {};
	__u16 port;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp = (void *)ip + sizeof(*ip);
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	port = bpf_ntohs(udp->dest);
	st = bpf_map_lookup_elem(&port_stats, &port);
	if (!st) {
		bpf_map_update_elem(&port_stats, &port, &zero, BPF_ANY);
		st = bpf_map_lookup_elem(&port_stats, &port);
		if (!st)
			return TC_ACT_OK;
	}
	st->packets++;
	st->bytes += skb->len;
	return TC_ACT_OK;
}

/* map value written without a NULL check: reject */
SEC("tc")
int tc_lookup_no_null(struct __sk_buff *skb)
{
	__u16 port = skb->mark;
	struct pkt_stats *st = bpf_map_lookup_elem(&port_stats, &port);

	st->packets++;
	return TC_ACT_OK;
}

/* spin lock around a counter update in an array value: accept */
SEC("tc")
int tc_spin_lock_ok(struct __sk_buff *skb)
{
	__u32 key = skb->queue_mapping & 3;
	struct locked_stats *ls = bpf_map_lookup_elem(&lstats, &key);

	if (!ls)
		return TC_ACT_OK;
	bpf_spin_lock(&ls->lock);
	ls->packets++;
	ls->bytes += skb->len;
	bpf_spin_unlock(&ls->lock);
	return TC_ACT_OK;
}

/* returns on one path with the lock held: reject */
SEC("tc")
int tc_spin_lock_leak(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct locked_stats *ls = bpf_map_lookup_elem(&lstats, &key);

	if (!ls)
		return TC_ACT_OK;
	bpf_spin_lock(&ls->lock);
	if (skb->len > 1500)
		return TC_ACT_SHOT;
	ls->packets++;
	bpf_spin_unlock(&ls->lock);
	return TC_ACT_OK;
}

/* a helper call inside the locked region: reject */
SEC("tc")
int tc_spin_lock_helper(struct __sk_buff *skb)
{
	__u32 key = 1;
	struct locked_stats *ls = bpf_map_lookup_elem(&lstats, &key);

	if (!ls)
		return TC_ACT_OK;
	bpf_spin_lock(&ls->lock);
	ls->bytes = bpf_ktime_get_ns();
	bpf_spin_unlock(&ls->lock);
	return TC_ACT_OK;
}

/* reads the lock word itself: reject */
SEC("tc")
int tc_spin_lock_read(struct __sk_buff *skb)
{
	__u32 key = 2;
	struct locked_stats *ls = bpf_map_lookup_elem(&lstats, &key);

	if (!ls)
		return TC_ACT_OK;
	return *(volatile __u32 *)&ls->lock ? TC_ACT_SHOT : TC_ACT_OK;
}

/* tail call by protocol, falling through when the slot is empty: accept */
SEC("tc")
int tc_dispatch(struct __sk_buff *skb)
{
	__u32 idx = skb->protocol == bpf_htons(ETH_P_IP) ? 1 : 2;

	bpf_tail_call(skb, &jmp_table, idx);
	return TC_ACT_OK;
}

/* ring buffer record reserved, filled from the packet, submitted: accept */
SEC("tc")
int tc_ringbuf_event(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct pkt_event *e;

	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return TC_ACT_OK;
	e->saddr = ip->saddr;
	e->daddr = ip->daddr;
	e->sport = 0;
	e->dport = 0;
	e->len = skb->len;
	__builtin_memcpy(e->tag, "ipv4pkt", 8);
	bpf_ringbuf_submit(e, 0);
	return TC_ACT_OK;
}

/* a reserved record dropped on one path: reject */
SEC("tc")
int tc_ringbuf_leak(struct __sk_buff *skb)
{
	struct pkt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return TC_ACT_OK;
	e->len = skb->len;
	if (skb->len < 64)
		return TC_ACT_SHOT;
	bpf_ringbuf_submit(e, 0);
	return TC_ACT_OK;
}

/* a reserved record written before its NULL check: reject */
SEC("tc")
int tc_ringbuf_no_null(struct __sk_buff *skb)
{
	struct pkt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	e->len = skb->len;
	bpf_ringbuf_submit(e, 0);
	return TC_ACT_OK;
}

/* a record written past its reserved size: reject */
SEC("tc")
int tc_ringbuf_overflow(struct __sk_buff *skb)
{
	__u32 *e = bpf_ringbuf_reserve(&events, 16, 0);

	if (!e)
		return TC_ACT_OK;
	e[4] = skb->len;
	bpf_ringbuf_discard(e, 0);
	return TC_ACT_OK;
}

/* an event on the stack copied with bpf_ringbuf_output: accept */
SEC("xdp")
int xdp_ringbuf_output(struct xdp_md *ctx)
{
	struct pkt_event e = {};

	e.len = ctx->data_end - ctx->data;
	e.tag[0] = 'x';
	bpf_ringbuf_output(&events, &e, sizeof(e), BPF_RB_NO_WAKEUP);
	return XDP_PASS;
}

/* the same with uninitialized fields: accept (a privileged loader may read them) */
SEC("xdp")
int xdp_ringbuf_output_uninit(struct xdp_md *ctx)
{
	struct pkt_event e;

	e.saddr = 0;
	e.daddr = 0;
	e.len = ctx->data_end - ctx->data;
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	return XDP_PASS;
}

/* a signed index checked only from above: reject */
SEC("tc")
int tc_signed_index(struct __sk_buff *skb)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &key);
	int idx = (int)skb->mark;

	if (!buf)
		return TC_ACT_OK;
	if (idx >= 64)
		return TC_ACT_OK;
	buf[idx] = 1;
	return TC_ACT_OK;
}

/* the same index unsigned: accept */
SEC("tc")
int tc_unsigned_index(struct __sk_buff *skb)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &key);
	__u32 idx = skb->mark;

	if (!buf)
		return TC_ACT_OK;
	if (idx >= 64)
		return TC_ACT_OK;
	buf[idx] = 1;
	return TC_ACT_OK;
}

/* an index checked against the value size + 1: reject */
SEC("tc")
int tc_index_off_by_one(struct __sk_buff *skb)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &key);
	__u32 idx = skb->mark;

	if (!buf)
		return TC_ACT_OK;
	if (idx > 64)
		return TC_ACT_OK;
	buf[idx] = 1;
	return TC_ACT_OK;
}

/* payload bytes copied into a stack buffer with a bounded variable length: accept */
SEC("socket")
int sock_copy_payload(struct __sk_buff *skb)
{
	char buf[32];
	__u32 len = skb->len;

	if (len > sizeof(buf))
		len = sizeof(buf);
	if (len == 0)
		return 0;
	if (bpf_skb_load_bytes(skb, 0, buf, len) < 0)
		return 0;
	return buf[0] == 0x45 ? skb->len : 0;
}

/* the same length never bounded: reject */
SEC("socket")
int sock_copy_unbounded(struct __sk_buff *skb)
{
	char buf[32];
	__u32 len = skb->len;

	if (len == 0)
		return 0;
	if (bpf_skb_load_bytes(skb, 0, buf, len) < 0)
		return 0;
	return buf[0];
}

/* a stack buffer indexed by a masked packet byte after it was filled: accept */
SEC("socket")
int sock_stack_var_off(struct __sk_buff *skb)
{
	__u8 table[16];
	__u8 b;

	for (int i = 0; i < 16; i++)
		table[i] = i * 3;
	if (bpf_skb_load_bytes(skb, 9, &b, 1) < 0)
		return 0;
	return table[b & 15];
}

/* the stack buffer filled only half: accept (uninitialized stack is readable when
 * privileged) */
SEC("socket")
int sock_stack_var_off_uninit(struct __sk_buff *skb)
{
	__u8 table[16];
	__u8 b;

	for (int i = 0; i < 8; i++)
		table[i] = i;
	if (bpf_skb_load_bytes(skb, 9, &b, 1) < 0)
		return 0;
	return table[b & 15];
}

/* cgroup_skb allows or drops: accept */
SEC("cgroup_skb/ingress")
int cgskb_filter(struct __sk_buff *skb)
{
	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 1;
	return skb->len < 20000 ? 1 : 0;
}

/* cgroup_skb ingress returning 2: reject */
SEC("cgroup_skb/ingress")
int cgskb_bad_ret(struct __sk_buff *skb)
{
	return skb->len > 100 ? 2 : 1;
}

/* cgroup_skb egress may return 0..3: accept */
SEC("cgroup_skb/egress")
int cgskb_egress_cn(struct __sk_buff *skb)
{
	return skb->len > 9000 ? 3 : 1;
}

struct loop_ctx {
	__u64 sum;
	__u32 limit;
};

static long sum_cb(__u64 i, void *data)
{
	struct loop_ctx *lc = data;

	if (i >= lc->limit)
		return 1;
	lc->sum += i;
	return 0;
}

/* bpf_loop with a context on the stack: accept */
SEC("xdp")
int xdp_bpf_loop(struct xdp_md *ctx)
{
	struct loop_ctx lc = { .sum = 0, .limit = ctx->rx_queue_index };

	bpf_loop(64, sum_cb, &lc, 0);
	return lc.sum > 100 ? XDP_DROP : XDP_PASS;
}

static long bad_ret_cb(__u64 i, void *data)
{
	return 2;
}

/* a bpf_loop callback returning 2: reject */
SEC("xdp")
int xdp_bpf_loop_bad_cb(struct xdp_md *ctx)
{
	bpf_loop(8, bad_ret_cb, NULL, 0);
	return XDP_PASS;
}

/* a global function on the skb context: accept */
__noinline int classify(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	return skb->len > 512 ? 2 : 1;
}

SEC("tc")
int tc_global_classify(struct __sk_buff *skb)
{
	skb->priority = classify(skb);
	return TC_ACT_OK;
}

/* a static subprogram returning the l4 offset, bounded by its caller: accept */
static __noinline int l4_offset(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if ((void *)(ip + 1) > data_end)
		return -1;
	return sizeof(struct ethhdr) + ip->ihl * 4;
}

SEC("tc")
int tc_static_subprog(struct __sk_buff *skb)
{
	void *data, *data_end;
	int off = l4_offset(skb);
	struct udphdr *udp;

	if (off < 0 || off > 80)
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	udp = data + off;
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	return udp->dest == bpf_htons(4789) ? TC_ACT_SHOT : TC_ACT_OK;
}

/* the subprogram's offset used without its negative case: accept (the packet pointer is
 * still compared with data_end) */
SEC("tc")
int tc_static_subprog_neg(struct __sk_buff *skb)
{
	void *data, *data_end;
	int off = l4_offset(skb);
	struct udphdr *udp;

	if (off > 80)
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	udp = data + off;
	if ((void *)(udp + 1) > data_end)
		return TC_ACT_OK;
	return udp->dest == bpf_htons(4789) ? TC_ACT_SHOT : TC_ACT_OK;
}

/* atomic add into packet memory: reject */
SEC("tc")
int tc_atomic_pkt(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 *w = data;

	if ((void *)(w + 1) > data_end)
		return TC_ACT_OK;
	__sync_fetch_and_add(w, 1);
	return TC_ACT_OK;
}

/* compare-and-exchange on a map value: accept */
SEC("tc")
int tc_atomic_cmpxchg(struct __sk_buff *skb)
{
	__u32 key = 3;
	struct locked_stats *ls = bpf_map_lookup_elem(&lstats, &key);
	__u64 old;

	if (!ls)
		return TC_ACT_OK;
	old = __sync_val_compare_and_swap(&ls->bytes, 0, skb->len);
	__sync_fetch_and_or(&ls->packets, old & 1);
	return TC_ACT_OK;
}

/* 32-bit arithmetic keeps an index bounded: accept */
SEC("tc")
int tc_alu32_index(struct __sk_buff *skb)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &key);
	__u32 h = skb->hash;

	if (!buf)
		return TC_ACT_OK;
	h = (h ^ (h >> 16)) & 0x3f;
	buf[h] ^= 1;
	return TC_ACT_OK;
}

/* an index wrapped by 32-bit subtraction: reject */
SEC("tc")
int tc_alu32_wrap(struct __sk_buff *skb)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &key);
	__u32 h = skb->hash & 0x3f;

	if (!buf)
		return TC_ACT_OK;
	h -= 1;
	buf[h] ^= 1;
	return TC_ACT_OK;
}

/* bpf_for over the scratch buffer: accept */
SEC("tc")
int tc_bpf_for_sum(struct __sk_buff *skb)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &key);
	__u32 sum = 0;
	int i;

	if (!buf)
		return TC_ACT_OK;
	bpf_for(i, 0, 64)
		sum += buf[i];
	skb->mark = sum;
	return TC_ACT_OK;
}

/* bpf_for one past the buffer: reject */
SEC("tc")
int tc_bpf_for_past(struct __sk_buff *skb)
{
	__u32 key = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &key);
	__u32 sum = 0;
	int i;

	if (!buf)
		return TC_ACT_OK;
	bpf_for(i, 0, 65)
		sum += buf[i];
	skb->mark = sum;
	return TC_ACT_OK;
}

/* xdp may return any action code: accept */
SEC("xdp")
int xdp_ret_any(struct xdp_md *ctx)
{
	return ctx->rx_queue_index + 7;
}

/* tcp options walked with a bounded loop: accept */
SEC("tc")
int tc_tcp_options(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct tcphdr *tcp;
	__u8 *opt;
	__u32 mss = 0;

	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > data_end)
		return TC_ACT_OK;
	opt = (void *)(tcp + 1);
	for (int i = 0; i < 10; i++) {
		if ((void *)(opt + 1) > data_end)
			break;
		if (opt[0] == 0)
			break;
		if (opt[0] == 1) {
			opt++;
			continue;
		}
		if ((void *)(opt + 4) > data_end)
			break;
		if (opt[0] == 2 && opt[1] == 4) {
			mss = (opt[2] << 8) | opt[3];
			break;
		}
		if (opt[1] < 2)
			break;
		opt += opt[1] & 0x3f;
	}
	skb->mark = mss;
	return TC_ACT_OK;
}
char LICENSE[] SEC("license") = "GPL";

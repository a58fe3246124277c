/* Realistic misuses of map types and helpers (tests/verifier/test_realistic.py holds each
 * program's kernel verdict): maps passed to helpers that do not take them, keyless maps,
 * local storage and stack traces. */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} task_bytes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 32);
	__type(value, __u64);
} work SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 128);
	__type(value, __u32);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 64);
	__type(key, __u32);
	__uint(value_size, 32 * sizeof(__u64));
} traces SEC(".maps");

/* task storage read with bpf_map_lookup_elem: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(task_storage_lookup, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	int pid = next->pid;
	__u64 *v = bpf_map_lookup_elem(&task_bytes, &pid);

	return v ? *v > 0 : 0;
}

/* task storage of the current task, created on demand: accept */
SEC("tp_btf/sched_switch")
int BPF_PROG(task_storage_current, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u64 init = 1;
	__u64 *v = bpf_task_storage_get(&task_bytes, bpf_get_current_task_btf(), &init,
					BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

/* task storage keyed by the untyped current task: reject */
SEC("tp_btf/sched_switch")
int BPF_PROG(task_storage_untyped, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u64 *v = bpf_task_storage_get(&task_bytes, (void *)bpf_get_current_task(), NULL, 0);

	return v ? 1 : 0;
}

/* a queue read with a key: reject */
SEC("raw_tp/sys_enter")
int queue_lookup(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&work, &k);

	return v ? *v : 0;
}

/* a queue peeked into a value too small: reject */
SEC("raw_tp/sys_enter")
int queue_peek_small(void *ctx)
{
	__u32 v;

	if (bpf_map_peek_elem(&work, &v))
		return 0;
	return v;
}

/* a bloom filter filled and queried: accept */
SEC("xdp")
int bloom_seen(struct xdp_md *ctx)
{
	__u32 h = ctx->rx_queue_index * 2654435761u;

	if (bpf_map_peek_elem(&seen, &h) == 0)
		return XDP_DROP;
	bpf_map_push_elem(&seen, &h, BPF_ANY);
	return XDP_PASS;
}

/* a cgroup array cleared from the data path: reject */
SEC("cgroup_skb/egress")
int cgroup_array_delete(struct __sk_buff *skb)
{
	__u32 k = 0;

	bpf_map_delete_elem(&cgroups, &k);
	return 1;
}

/* stack traces in a tc program: reject */
SEC("tc")
int tc_stack(struct __sk_buff *skb)
{
	__u64 ips[4];

	return bpf_get_stack(skb, ips, sizeof(ips), 0) > 0;
}

/* the user stack of the exiting task into the stack map: accept */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_stackid, struct task_struct *p)
{
	long id = bpf_get_stackid(ctx, &traces, BPF_F_USER_STACK | BPF_F_FAST_STACK_CMP);

	return id < 0;
}

/* a stack copied with a size larger than the buffer: reject */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_stack_too_big, struct task_struct *p)
{
	__u64 ips[4];
	__u32 n = p->pid & 63;

	return bpf_get_stack(ctx, ips, n, 0) > 0;
}
char LICENSE[] SEC("license") = "GPL";

/* a 24-bit feature mask built from 24 independent branches and then used as a map value index (every path keeps a distinct precise mask): reject "BPF program is too large. Processed 1000001 insn" */
#include "corpus.h"

#define FEATURE(n) do { if (flags & (1u << (n))) { mask |= 1u << (n); barrier_var(mask); } } while (0)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u8[1 << 24]);
} feature_seen SEC(".maps");

SEC("socket")
int loop_state_explosion(struct __sk_buff *skb)
{
	u32 key = 0, mask = 0;
	u32 flags = bpf_get_prandom_u32();
	u8 *seen;

	FEATURE(0); FEATURE(1); FEATURE(2); FEATURE(3); FEATURE(4); FEATURE(5);
	FEATURE(6); FEATURE(7); FEATURE(8); FEATURE(9); FEATURE(10); FEATURE(11);
	FEATURE(12); FEATURE(13); FEATURE(14); FEATURE(15); FEATURE(16); FEATURE(17);
	FEATURE(18); FEATURE(19); FEATURE(20); FEATURE(21); FEATURE(22); FEATURE(23);
	seen = bpf_map_lookup_elem(&feature_seen, &key);
	if (seen)
		seen[mask] = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

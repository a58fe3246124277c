/* CO-RE relocations whose results follow libbpf's exact rules: TYPE_MATCHES of structs with
 * anonymous members, ENUMVAL_VALUE of negative, high-bit and 64-bit enumerators. */
#include "link.h"

/* The kernel: struct btf_type { __u32 name_off; __u32 info; union { __u32 size; __u32 type; }; } */
struct btf_type___anon {
	__u32 name_off;
	__u32 info;
	union {
		__u32 size;
		__u32 type;
	};
};

struct btf_type___prefix {	/* a subset of the members matches too */
	__u32 info;
};

struct btf_type___signed {	/* int is not unsigned int */
	int name_off;
};

struct btf_type___named {	/* a named member does not match the kernel's anonymous union */
	__u32 name_off;
	union {
		__u32 size;
	} u;
};

enum perf_event_state___mine { PERF_EVENT_STATE_DEAD___mine = -7 };	/* kernel: < 0 */
enum init_ns_ino___mine { UTS_NS_INIT_INO___mine = 5 };	/* kernel: unsigned, >= 2^31 */
enum blake2b_iv___mine { BLAKE2B_IV1___mine = 1ULL << 40 };	/* kernel: ENUM64 */

__u64 out[8];

SEC("tc")
int core_match(struct __sk_buff *skb)
{
	out[0] = bpf_core_type_matches(struct btf_type___anon);
	out[1] = bpf_core_type_matches(struct btf_type___prefix);
	out[2] = bpf_core_type_matches(struct btf_type___signed);
	out[3] = bpf_core_type_matches(struct btf_type___named);
	out[4] = bpf_core_enum_value(enum perf_event_state___mine, PERF_EVENT_STATE_DEAD___mine);
	out[5] = bpf_core_enum_value(enum init_ns_ino___mine, UTS_NS_INIT_INO___mine);
	out[6] = bpf_core_enum_value(enum blake2b_iv___mine, BLAKE2B_IV1___mine);
	return 0;
}

char _license[] SEC("license") = "GPL";

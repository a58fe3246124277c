/* CO-RE relocations of every kind against locally declared, flavored kernel types. */
#include "link.h"

struct sched_entity___mine {
	__u64 vruntime;
} __attribute__((preserve_access_index));

struct task_struct___mine {
	int pid;
	int tgid;
	unsigned int flags;
	char comm[16];
	struct sched_entity___mine se;
	int no_such_field;
} __attribute__((preserve_access_index));

/* In the kernel these bitfields sit in anonymous structs/unions inside sk_buff. */
struct sk_buff___mine {
	unsigned int len;
	__u8 pkt_type:3;
	__u8 cloned:1;
	__u16 vlan_tci;
} __attribute__((preserve_access_index));

struct no_such_type___mine {
	int x;
} __attribute__((preserve_access_index));

enum bpf_map_type___mine {
	BPF_MAP_TYPE_ARRAY___mine = 99,
	BPF_MAP_TYPE_NO_SUCH___mine = 98,
};

__u64 out[32];

SEC("tp_btf/sched_switch")
int core_values(__u64 *ctx)
{
	struct task_struct___mine *t = (void *)ctx[1];

	out[0] = bpf_core_field_offset(struct task_struct___mine, pid);
	out[1] = bpf_core_field_offset(struct task_struct___mine, flags);
	out[2] = bpf_core_field_offset(struct task_struct___mine, comm[3]);
	out[3] = bpf_core_field_offset(struct task_struct___mine, se.vruntime);
	out[4] = bpf_core_field_size(struct task_struct___mine, comm);
	out[5] = bpf_core_field_exists(struct task_struct___mine, tgid);
	out[6] = bpf_core_field_exists(struct task_struct___mine, no_such_field);
	out[7] = bpf_core_field_offset(struct sk_buff___mine, len);
	out[8] = __builtin_preserve_field_info(((struct sk_buff___mine *)0)->pkt_type,
					       BPF_FIELD_BYTE_OFFSET);
	out[9] = __builtin_preserve_field_info(((struct sk_buff___mine *)0)->pkt_type,
					       BPF_FIELD_BYTE_SIZE);
	out[10] = __builtin_preserve_field_info(((struct sk_buff___mine *)0)->pkt_type,
						BPF_FIELD_LSHIFT_U64);
	out[11] = __builtin_preserve_field_info(((struct sk_buff___mine *)0)->pkt_type,
						BPF_FIELD_RSHIFT_U64);
	out[12] = __builtin_preserve_field_info(((struct sk_buff___mine *)0)->pkt_type,
						BPF_FIELD_SIGNED);
	out[13] = bpf_core_type_exists(struct task_struct___mine);
	out[14] = bpf_core_type_exists(struct no_such_type___mine);
	out[15] = bpf_core_type_size(struct task_struct___mine);
	out[16] = bpf_core_type_id_kernel(struct task_struct___mine);
	out[17] = bpf_core_enum_value_exists(enum bpf_map_type___mine, BPF_MAP_TYPE_ARRAY___mine);
	out[18] = bpf_core_enum_value_exists(enum bpf_map_type___mine,
					     BPF_MAP_TYPE_NO_SUCH___mine);
	out[19] = bpf_core_enum_value(enum bpf_map_type___mine, BPF_MAP_TYPE_ARRAY___mine);
	out[20] = bpf_core_field_offset(struct sk_buff___mine, vlan_tci);
	out[21] = bpf_core_type_matches(struct sched_entity___mine);
	/* Real loads through a BTF pointer: LDX offsets relocated. */
	out[22] = t->pid;
	out[23] = t->se.vruntime;
	/* A poisoned load on a dead path. */
	if (bpf_core_field_exists(t->no_such_field))
		out[24] = t->no_such_field;
	return 0;
}

char _license[] SEC("license") = "GPL";

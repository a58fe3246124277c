/* Global data in .data, .bss, .rodata and custom .data.x / .rodata.x / .bss.x sections. */
#include "common.h"

int counter = 7;                           /* .data */
static volatile __u64 hidden_total;        /* .bss */
const volatile __u32 limit = 42;           /* .rodata */
__u32 in_custom SEC(".data.custom") = 0x11223344;
const __u16 ro_custom SEC(".rodata.custom") = 5;
__u64 zeroed_custom SEC(".bss.custom");
char long_named SEC(".data.a_very_long_section_name") = 1;

SEC("xdp")
int read_globals(struct xdp_md *ctx)
{
	static const char msg[] = "limit %u\n";

	bpf_trace_printk(msg, sizeof(msg), limit);
	hidden_total += counter + in_custom + ro_custom + zeroed_custom + long_named;
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
__u32 _version SEC("version") = 0x060c00;

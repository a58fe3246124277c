/* hand-written asm calls bpf_map_lookup_elem without setting the key register R2: reject "R2 !read_ok" */
#include "corpus.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} drops SEC(".maps");

SEC("socket")
__attribute__((naked)) int stack_uninit_helper_arg(void)
{
	asm volatile(
	"r1 = %[drops] ll;"
	/* forgot: r2 = r10; r2 += -4; *(u32 *)(r10 - 4) = 0 */
	"call %[bpf_map_lookup_elem];"
	"if r0 == 0 goto 1f;"
	"r1 = 1;"
	"lock *(u64 *)(r0 + 0) += r1;"
	"1:"
	"r0 = 0;"
	"exit;"
	:
	: [drops] "i"(&drops), [bpf_map_lookup_elem] "i"(bpf_map_lookup_elem)
	: "memory");
}

char LICENSE[] SEC("license") = "GPL";

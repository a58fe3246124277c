/* The only 32-bit INT of this object's BTF is unsigned: the .ksyms VAR gets it as type, as
 * libbpf's find_int_btf_id picks any 32-bit INT (a signed-only search left type 0 and the
 * kernel refused the BTF). With the BTF loaded, the global subprogram's argument may be NULL
 * and the kernel rejects the unchecked read. */
#include "link.h"

extern const void schedule __ksym;
__u64 out;

__noinline_global unsigned int read_it(unsigned int *p)
{
	return *p;
}

SEC("tc")
unsigned int uint_only(struct __sk_buff *skb)
{
	unsigned int v = skb->len;

	out = (__u64)&schedule;
	return read_it(&v) & 1;
}

char _license[] SEC("license") = "GPL";

/* a static subprogram returning a pointer to its own stack frame: reject "cannot return stack pointer to the caller" */
#include "corpus.h"

struct hdr_copy {
	u8 bytes[16];
};

static __noinline struct hdr_copy *copy_header(struct __sk_buff *skb)
{
	struct hdr_copy local;
	struct hdr_copy *out = &local;

	if (bpf_skb_load_bytes(skb, 0, &local, sizeof(local)))
		__builtin_memset(&local, 0, sizeof(local));
	barrier_var(out);
	return out;	/* dangling once the frame is gone */
}

SEC("socket")
int subprog_return_stack_ptr(struct __sk_buff *skb)
{
	struct hdr_copy *h = copy_header(skb);

	return h->bytes[12] == 0x08 ? skb->len : 0;
}

char LICENSE[] SEC("license") = "GPL";

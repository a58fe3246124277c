/* writing through the untrusted kmem_cache pointer bpf_get_kmem_cache returns: reject "only read is supported" */
#include "corpus.h"

SEC("syscall")
int kmem_cache_untrusted_write(void *ctx)
{
	struct kmem_cache *cache;

	cache = bpf_get_kmem_cache(bpf_get_prandom_u32());
	if (!cache)
		return 0;
	cache->size = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

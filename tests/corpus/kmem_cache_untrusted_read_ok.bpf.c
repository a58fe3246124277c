/* bpf_get_kmem_cache returns an untrusted pointer: reading a field through it is allowed: accept */
#include "corpus.h"

SEC("syscall")
int kmem_cache_untrusted_read(void *ctx)
{
	struct kmem_cache *cache;

	cache = bpf_get_kmem_cache(bpf_get_prandom_u32());
	if (!cache)
		return 0;
	return cache->size;
}

char LICENSE[] SEC("license") = "GPL";

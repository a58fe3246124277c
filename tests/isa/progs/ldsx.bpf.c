#include "isa.h"

struct rec {
	s8 b;
	s16 h;
	s32 w;
	s64 d;
	u8 ub;
	u16 uh;
	u32 uw;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct rec);
} recs SEC(".maps");

SEC("socket")
int sign_loads(void *ctx)
{
	u32 key = 0;
	struct rec *r = bpf_map_lookup_elem(&recs, &key);
	if (!r)
		return 0;
	s64 v = r->b + r->h + r->w + r->d;
	u64 u = r->ub + r->uh + r->uw;
	r->d = v - (s64)u;
	r->ub = (u8)v;
	r->uh = (u16)u;
	r->uw = (u32)(v >> 3);
	return (int)v;
}

/* Shared header for the kfcheck corpus: kernel types, libbpf helpers, kfunc externs and
 * the graph-API macros (private globals, __contains) the programs need. */
#ifndef KFCHECK_CORPUS_H
#define KFCHECK_CORPUS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "kfuncs.h"

/* A global placed in its own .data.<name> map, so a lock and the heads it protects
 * share one allocation. */
#define private(name) SEC(".data." #name) __hidden __attribute__((aligned(8)))

/* Tells the verifier which struct (and which node member) a list head / rb root holds. */
#define __contains(type, node) __attribute__((btf_decl_tag("contains:" #type ":" #node)))

#endif

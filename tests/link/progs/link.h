/* Shared declarations for the linker test programs: no vmlinux.h, only the few kernel
 * types the programs relocate against, declared locally with CO-RE flavors. */
#ifndef KFCHECK_LINK_TEST_H
#define KFCHECK_LINK_TEST_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __noinline_global __attribute__((noinline))

#endif

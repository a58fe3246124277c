/* Shared declarations for the kfcheck verifier test programs. */
#ifndef KFCHECK_TEST_COMMON_H
#define KFCHECK_TEST_COMMON_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef __ulong
#define __kf_concat_(a, b) a##b
#define __kf_concat(a, b) __kf_concat_(a, b)
#define __ulong(name, val) enum { __kf_concat(__unique_value, __COUNTER__) = val } name
#endif

#endif

/* Shared by the ISA test programs: helpers from libbpf-dev, no vmlinux.h needed. */
#ifndef KFCHECK_ISA_H
#define KFCHECK_ISA_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

/* A value the compiler cannot fold. */
#define RAND64() (((u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32())
#define RAND32() ((u32)bpf_get_prandom_u32())

char LICENSE[] SEC("license") = "GPL";

#endif

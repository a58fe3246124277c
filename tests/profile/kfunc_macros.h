/* Stand-in macros for compiling kfcheck's generated kfunc C with `gcc -fsyntax-only`.
 * Each macro expands to a declaration the compiler checks: flag names must be defined,
 * enum entries used by predicates must exist, and names must be identifiers. */
#ifndef KFCHECK_KFUNC_MACROS_H
#define KFCHECK_KFUNC_MACROS_H

typedef unsigned int u32;
typedef _Bool bool;
#define true 1
#define false 0

struct btf_id_set { u32 cnt; u32 ids[]; };

#define KF_ACQUIRE       (1 << 0)
#define KF_RELEASE       (1 << 1)
#define KF_RET_NULL      (1 << 2)
#define KF_TRUSTED_ARGS  (1 << 4)
#define KF_SLEEPABLE     (1 << 5)
#define KF_DESTRUCTIVE   (1 << 6)
#define KF_RCU           (1 << 7)
#define KF_ITER_NEW      (1 << 8)
#define KF_ITER_NEXT     (1 << 9)
#define KF_ITER_DESTROY  (1 << 10)
#define KF_RCU_PROTECTED (1 << 11)
#define KF_FASTCALL      (1 << 12)
#define KF_ARENA_RET     (1 << 13)
#define KF_ARENA_ARG1    (1 << 14)
#define KF_ARENA_ARG2    (1 << 15)
#define KF_IMPLICIT_ARGS (1 << 16)

#define __KF_CAT2(a, b) a##b
#define __KF_CAT(a, b) __KF_CAT2(a, b)
#define __KF_UNIQ(p) __KF_CAT(p, __COUNTER__)

#define BTF_ID_LIST(name) static u32 name[256];
#define BTF_ID(prefix, name) extern int __KF_UNIQ(__btf_id_##prefix##__##name##__);
#define BTF_ID_UNUSED extern int __KF_UNIQ(__btf_id_unused__);
#define BTF_KFUNCS_START(name) extern int __btf_kfuncs_start__##name;
#define BTF_KFUNCS_END(name) extern int __btf_kfuncs_end__##name;
#define BTF_ID_FLAGS(prefix, name, ...) \
	static const u32 __KF_UNIQ(__btf_id_flags_##prefix##__##name##__) \
		__attribute__((unused)) = 0 __VA_OPT__(| (__VA_ARGS__));
#define BTF_SET_SUB(name) extern struct btf_id_set name;
#define BPF_VERIF_KFUNC_DEF(name, ...) \
	extern int __KF_UNIQ(__bpf_verif_kfunc_def__##name##__);

#endif

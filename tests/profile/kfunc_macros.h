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
struct btf_id_set8 { u32 cnt; u32 flags; struct { u32 id; u32 flags; } pairs[]; };
bool btf_id_set8_contains(const struct btf_id_set8 *set, u32 id);

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
#define BTF_KFUNCS_START(name) extern struct btf_id_set8 name;
#define BTF_KFUNCS_END(name) extern struct btf_id_set8 name;
#define BTF_ID_FLAGS(prefix, name, ...) \
	static const u32 __KF_UNIQ(__btf_id_flags_##prefix##__##name##__) \
		__attribute__((unused)) = 0 __VA_OPT__(| (__VA_ARGS__));
#define BTF_SET_SUB(name) extern struct btf_id_set name;
/* As the proposal's macro: dispatch on the number of families (1 to 6; COUNT_ARGS style) and
 * reference each family's set, bpf_verif_kfunc_<family>, declared by BTF_SET_SUB. Zero or more
 * than six families, or a family without a set, do not compile. */
#define __KF_NARGS(...) __KF_NARGS_(__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define __KF_NARGS_(_1, _2, _3, _4, _5, _6, n, ...) n
#define __KF_SET(f) &bpf_verif_kfunc_##f
#define __KF_SETS_1(a) __KF_SET(a)
#define __KF_SETS_2(a, ...) __KF_SET(a), __KF_SETS_1(__VA_ARGS__)
#define __KF_SETS_3(a, ...) __KF_SET(a), __KF_SETS_2(__VA_ARGS__)
#define __KF_SETS_4(a, ...) __KF_SET(a), __KF_SETS_3(__VA_ARGS__)
#define __KF_SETS_5(a, ...) __KF_SET(a), __KF_SETS_4(__VA_ARGS__)
#define __KF_SETS_6(a, ...) __KF_SET(a), __KF_SETS_5(__VA_ARGS__)
#define BPF_VERIF_KFUNC_DEF(name, ...) \
	static struct btf_id_set *const __KF_UNIQ(__bpf_verif_kfunc_def__##name##__)[] \
		__attribute__((unused)) = \
		{ __KF_CAT(__KF_SETS_, __KF_NARGS(__VA_ARGS__))(__VA_ARGS__) };

#endif

/* Test program exercising every BTF kind clang emits (compiled by the tests). */
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char s8;

#define SEC(n) __attribute__((section(n), used))
#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __type_tag(x) __attribute__((btf_type_tag(x)))
#define __ksym __attribute__((section(".ksyms")))

union fwd_union;
struct fwd_struct;

enum small { SMALL_NEG = -3, SMALL_POS = 7 };
enum big { BIG_ONE = 1, BIG_HUGE = 0xfffffffffffULL };
enum bigneg { BIGNEG_MIN = -0x7fffffffffffffffLL - 1, BIGNEG_ONE = 1 };

struct bits {
	unsigned int a : 3;
	unsigned int b : 5;
	int c : 7;
	unsigned long long d : 40;
	char tail;
};

struct inner {
	int x;
	union {
		int u_int;
		char u_bytes[4];
	};
	struct bits bf;
};

struct outer {
	volatile int v;
	const char *restrict s;
	struct inner arr[3];
	struct inner one __tag("member_tag");
	int __type_tag("user") *tagged;
	union fwd_union *fu;
	struct fwd_struct *fs;
	double dbl;
	float flt;
	enum small e1;
	enum big e2;
	enum bigneg e3;
	void (*cb)(int, ...);
};

struct task_struct;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern int bpf_ext_var __ksym;

int global_counter SEC(".data") = 1;
static volatile const int rodata_val = 5;
struct outer zeroed;
char _license[] SEC("license") = "GPL";

__attribute__((noinline)) __tag("subprog_tag") int helper_sub(struct outer *o __tag("arg_tag"), s8 k)
{
	return o ? o->v + k : k;
}

SEC("syscall") int prog(void *ctx)
{
	struct task_struct *t = bpf_task_acquire((void *)ctx);

	if (t)
		bpf_task_release(t);
	zeroed.dbl = 1.0;
	return helper_sub(&zeroed, 3) + global_counter + rodata_val + bpf_ext_var +
	       __builtin_preserve_field_info(zeroed.one.bf.c, 0) +
	       __builtin_preserve_field_info(zeroed.one.bf.b, 1) +
	       __builtin_preserve_type_info(*(struct outer *)0, 0) +
	       __builtin_preserve_type_info(*(struct outer *)0, 1) +
	       __builtin_preserve_enum_value(*(enum small *)SMALL_POS, 0) +
	       __builtin_preserve_enum_value(*(enum small *)SMALL_NEG, 1) +
	       __builtin_btf_type_id(zeroed, 0) + __builtin_btf_type_id(zeroed, 1);
}

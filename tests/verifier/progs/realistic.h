/* Open-coded iterator loops for the realistic test programs, as the kernel selftests'
 * bpf_experimental.h writes them. */
#ifndef KFCHECK_REALISTIC_H
#define KFCHECK_REALISTIC_H

/* open-coded numeric loop, as the selftests' bpf_experimental.h writes it */
#define bpf_for(i, start, end) for (						\
	struct bpf_iter_num ___it __attribute__((aligned(8),			\
						  cleanup(bpf_iter_num_destroy))), \
	*___p __attribute__((unused)) = (					\
		bpf_iter_num_new(&___it, (start), (end)),			\
		(void)bpf_iter_num_destroy, (void *)0);				\
	({									\
		int *___t = bpf_iter_num_next(&___it);				\
		(___t && ((i) = *___t, (i) >= (start) && (i) < (end)));	\
	});									\
	)

#define bpf_for_each(type, cur, args...) for (					\
	struct bpf_iter_##type ___it __attribute__((aligned(8),			\
						     cleanup(bpf_iter_##type##_destroy))), \
	*___p __attribute__((unused)) = (					\
		bpf_iter_##type##_new(&___it, ##args),				\
		(void)bpf_iter_##type##_destroy, (void *)0);			\
	(((cur) = bpf_iter_##type##_next(&___it)));				\
	)

#endif

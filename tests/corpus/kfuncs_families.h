/* kfuncs of the families the coverage programs added (tests/tools/kfunc_coverage.py), kept out of
 * kfuncs.h so that the objects built before them keep their bytes. */
#ifndef KFCHECK_CORPUS_KFUNCS_FAMILIES_H
#define KFCHECK_CORPUS_KFUNCS_FAMILIES_H

extern int bpf_xdp_pull_data(struct xdp_md *x, u32 len) __ksym;
extern int bpf_dynptr_from_skb_meta(struct __sk_buff *skb, u64 flags,
				    struct bpf_dynptr *ptr__uninit) __ksym;
extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, u32 *hash,
				    enum xdp_rss_hash_type *rss_type) __ksym;
extern u64 *bpf_session_cookie(void) __ksym;
extern int bpf_set_dentry_xattr(struct dentry *dentry, const char *name__str,
				const struct bpf_dynptr *value_p, int flags) __ksym;
extern void *bpf_arena_alloc_pages(void *p__map, void *addr__ign, u32 page_cnt, int node_id,
				   u64 flags) __ksym;
extern void bpf_arena_free_pages(void *p__map, void *ptr__ign, u32 page_cnt) __ksym;
extern int bpf_task_work_schedule_signal_impl(struct task_struct *task,
					      struct bpf_task_work *tw, void *map__map,
					      bpf_task_work_callback_t callback,
					      void *aux__prog) __ksym;
extern void __bpf_trap(void) __ksym;

#endif

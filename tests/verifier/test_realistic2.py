"""Realistic programs, round 2 (progs/realistic4-6.bpf.c: task/cgroup/cpumask kfuncs, lists and
rbtrees, refcounts, iterators, RCU/preemption/irq sections, res_spin_lock, socket lookups and
casts, xdp and skb helpers that move packet data, global functions, spin locks with subprograms,
signed division, sign extension, 32-bit bounds, BTF pointer walks; deliberate bugs in each): the
offline verdict per shipped build, and the running kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from verdict_rows import ACCEPT, V595, V1272, kernel_rows, offline_rows, rej, uns

PROGS = Path(__file__).parent / "progs"


# the kernel's verdict on each program (recorded from 6.18.44-fc-v1272)
KFUNCS = {
    "k_from_pid": ACCEPT,
    "k_from_pid_nonull": rej("R0 invalid mem access 'ptr_or_null_'"),
    "k_from_pid_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "k_use_after_release": rej("R6 invalid mem access 'scalar'"),
    "k_acquire_walked": ACCEPT,
    "k_acquire_parent_rcu": ACCEPT,
    "k_rcu_after_unlock": rej("R1 must be a rcu pointer"),
    "k_rcu_unlock_only": rej("unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)"),
    "k_cgroup_ancestor": ACCEPT,
    "k_cgroup_ancestor_leak": rej("BPF_EXIT instruction in main prog would lead to reference "
                                   "leak"),
    "k_under_cgroup": ACCEPT,
    "k_iter_task_norcu": ACCEPT,
    "k_cgroup_release_arg": rej("release kernel function bpf_cgroup_release expects refcounted "
                                 "PTR_TO_BTF_ID"),
    "k_cgroup_acquire_arg": ACCEPT,
    "k_cpumask_ops": ACCEPT,
    "k_cpumask_after_release": rej("R1 type=scalar expected=fp"),
    "k_cpumask_nonull": rej("Possibly NULL pointer passed to trusted arg1"),
    "k_cpumask_stack": ACCEPT,
    "k_cpumask_acquire2": ACCEPT,
    "k_list_enqueue": ACCEPT,
    "k_list_dequeue": ACCEPT,
    "k_list_nolock": rej("bpf_spin_lock at off=0 must be held for bpf_list_head"),
    "k_list_read_after_unlock": rej("R6 invalid mem access 'scalar'"),
    "k_list_read_in_lock": ACCEPT,
    "k_list_pop_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "k_obj_new_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "k_obj_double_drop": rej("R1 must be referenced or trusted"),
    "k_rbtree_refcount": ACCEPT,
    "k_rbtree_expire": ACCEPT,
    "k_rbtree_first_nolock": rej("bpf_spin_lock at off=0 must be held for bpf_rb_root"),
    "k_rbtree_remove_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "k_iter_num_sum": ACCEPT,
    "k_iter_bits": ACCEPT,
    "k_iter_bits_nonull": rej("R0 invalid mem access 'scalar'"),
    "k_iter_double_destroy": rej("expected an initialized iter_num as arg #0"),
    "k_preempt_ok": ACCEPT,
    "k_preempt_leak": rej("BPF_EXIT instruction in main prog cannot be used inside "
                           "bpf_preempt_disable-ed region"),
    "k_irq_ok": ACCEPT,
    "k_irq_leak": rej("BPF_EXIT instruction in main prog cannot be used inside "
                       "bpf_local_irq_save-ed region"),
    "k_res_lock_ok": ACCEPT,
    "k_res_lock_unchecked": rej("bpf_res_spin_unlock without taking a lock"),
    "k_res_lock_helper": rej("function calls are not allowed while holding a lock"),
    "k_iter_task_all": ACCEPT,
    "k_iter_css": ACCEPT,
}
SOCKETS = {
    "s_lookup_tcp": ACCEPT,
    "s_lookup_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "s_lookup_pkt_tuple": ACCEPT,
    "s_lookup_pkt_short": rej("R2 offset is outside of the packet"),
    "s_double_release": rej("R1 type=scalar expected=sock_common, sock, tcp_sock, xdp_sock, ptr_,"
                             " trusted_ptr_"),
    "s_skc_to_tcp": ACCEPT,
    "s_skc_to_tcp_nonull": rej("R0 invalid mem access 'ptr_or_null_'"),
    "s_cast_after_release": rej("R8 invalid mem access 'scalar'"),
    "s_fullsock": ACCEPT,
    "s_fullsock_nonull": rej("R1 type=sock_common_or_null expected=sock_common, sock, tcp_sock, "
                              "xdp_sock"),
    "s_tcp_sock": ACCEPT,
    "s_sock_write": rej("R1 cannot write into sock_common"),
    "b_load_bytes": ACCEPT,
    "b_load_var_len": rej("R4 invalid zero-sized read: u64=[0,4294967295]"),
    "b_load_bounded_len": ACCEPT,
    "b_rewrite_ttl": ACCEPT,
    "b_store_stale": rej("R6 invalid mem access 'scalar'"),
    "b_pull_reload": ACCEPT,
    "b_pull_stale": rej("R6 invalid mem access 'scalar'"),
    "b_store_uninit": ACCEPT,
    "g_ctx_arg": ACCEPT,
    "g_mem_arg": ACCEPT,
    "g_mem_arg_small": rej("Caller passes invalid args into func#1 ('acc_add_nocheck')"),
    "g_ret_index": rej("math between fp pointer and register with unbounded min value is not "
                        "allowed"),
    "g_pkt_arg": rej("R4 min value is outside of the allowed memory range"),
    "l_static_in_lock": ACCEPT,
    "l_global_in_lock": rej("use static function instead"),
    "l_lock_in_subprog": ACCEPT,
    "l_unlock_other": rej("bpf_spin_unlock of different lock"),
    "x_pop_header": ACCEPT,
    "x_tail_stale": rej("R6 invalid mem access 'scalar'"),
    "x_meta": ACCEPT,
    "x_meta_overrun": rej("R1 offset is outside of the packet"),
    "x_meta_unchecked": rej("R1 offset is outside of the packet"),
    "x_tail_grow": rej("R1 pointer arithmetic on pkt_end prohibited"),
}
V4_BTF = {
    "d_sdiv_avg": ACCEPT,
    "d_smod_index": rej("math between map_value pointer and register with unbounded min value is "
                         "not allowed"),
    "d_smod_fixed": rej("R2 unbounded memory access, make sure to bounds check any such access"),
    "d_umod_index": ACCEPT,
    "d_sdiv_const_index": rej("math between map_value pointer and register with unbounded min "
                               "value is not allowed"),
    "x_movsx_checked": ACCEPT,
    "x_movsx_upper_only": rej("math between map_value pointer and register with unbounded min "
                               "value is not allowed"),
    "x_ldsx_global": rej("math between map_value pointer and register with unbounded min value is"
                          " not allowed"),
    "x_ldsx_pkt_off": rej("math between map_value pointer and register with unbounded min value "
                           "is not allowed"),
    "b32_trunc_mask": ACCEPT,
    "b32_cmp_64_use": rej("math between map_value pointer and register with unbounded min value "
                           "is not allowed"),
    "b32_int_cast": ACCEPT,
    "b32_sub_wrap": ACCEPT,
    "w_nested_parent": ACCEPT,
    "w_array_const": ACCEPT,
    "w_array_var": rej("R3 is ptr_task_struct invalid variable offset: off=1752, var_off=(0x0; "
                        "0xf)"),
    "w_mm_counters": ACCEPT,
    "w_var_off": rej("R1 is ptr_task_struct invalid variable offset: off=0, var_off=(0x0; 0x7)"),
    "w_walked_to_kfunc": ACCEPT,
    "w_skb_union": ACCEPT,
    "w_past_end": rej("access beyond struct sk_buff at off 224 size 4"),
    "w_write_member": rej("only read is supported"),
    "w_raw_tp_walk": ACCEPT,
    "w_raw_tp_deref": rej("R1 invalid mem access 'scalar'"),
}
SOCK_FIELDS = {
    "c_release_cast": ACCEPT,
    "c_cast_null_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "c_orig_after_cast_release": rej("R7 invalid mem access 'scalar'"),
    "c_tcp_counters": ACCEPT,
    "c_tcp_counter_narrow": rej("R0 invalid tcp_sock access off=80 size=4"),
    "c_sock_narrow": ACCEPT,
    "c_sock_pad": rej("R2 pointer arithmetic on sock prohibited"),
    "c_sock_mark_narrow": rej("R0 invalid sock access off=16 size=1"),
    "c_common_priority": rej("R1 invalid sock_common access off=20 size=4"),
    "c_common_family": ACCEPT,
    "c_full_priority": ACCEPT,
    "c_dynptr_slice_null": ACCEPT,
    "c_dynptr_slice_null_leak": rej("BPF_EXIT instruction in main prog would lead to reference "
                                     "leak"),
    "c_tcp_write": rej("R0 cannot write into tcp_sock"),
    "c_tcp_past_end": rej("R0 invalid tcp_sock access off=112 size=4"),
    "c_skc_cast_read": ACCEPT,
    "c_skc_cast_write": rej("only read is supported"),
    "c_skc_cast_release": ACCEPT,
    "c_skc_cast_null_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "c_skc_cast_fullsock": rej("R1 type=ptr_ expected=sock_common, sock, tcp_sock, xdp_sock"),
    "c_skc_cast_unchecked": rej("R1 type=sock_common_or_null expected=sock_common, sock, "
                                 "tcp_sock, xdp_sock, ptr_, trusted_ptr_"),
    "c_cgskb_tcp": ACCEPT,
    "c_xdp_fullsock": ACCEPT,
}

KFUNCS_V4 = {
    "n_irq_nested": ACCEPT,
    "n_irq_out_of_order": rej("cannot restore irq state out of order, expected id=2 acquired at "
                               "insn_idx=7"),
    "n_irq_clobber": rej("expected an initialized irq flag as arg#0"),
    "n_res_irqsave": ACCEPT,
    "n_res_order": rej("bpf_res_spin_unlock cannot be out of order"),
    "n_res_nested": ACCEPT,
    "n_refcount_nonowning": ACCEPT,
    "n_drop_nonowning": rej("R1 must be referenced or trusted"),
    "n_add_twice": rej("arg#1 expected pointer to allocated object"),
    "n_refcount_nonull": ACCEPT,
    "n_ldsx_ctx": ACCEPT,
    "n_ldsx_spill": rej("math between map_value pointer and register with unbounded min value is "
                         "not allowed"),
    "n_movsx_ptr": ACCEPT,
    "n_s32_range": ACCEPT,
    "n_s32_half": rej("math between map_value pointer and register with unbounded min value is "
                       "not allowed"),
    "n_sdiv_bounded": rej("math between map_value pointer and register with unbounded min value "
                           "is not allowed"),
    "n_smod_negative": rej("math between map_value pointer and register with unbounded min value "
                            "is not allowed"),
    "n_spin_other_slot": rej("bpf_spin_unlock of different lock"),
    "n_spin_const_slot": ACCEPT,
    "n_movsx32_ptr_deref": rej("R2 invalid mem access 'scalar'"),
    "n_iter_vma": ACCEPT,
    "n_iter_vma_escape": ACCEPT,
    "n_iter_css_task": ACCEPT,
}
KERNEL = {"realistic4": KFUNCS, "realistic5": SOCKETS, "realistic6": V4_BTF,
          "realistic7": SOCK_FIELDS, "realistic8": KFUNCS_V4}

# offline: what kfcheck does not model is unsupported
_NULLABLE_ARGS = uns("tp_btf/kfree_skb: arguments that may be NULL")
OFFLINE = {**KERNEL, "realistic6": {
    **V4_BTF, "w_skb_union": _NULLABLE_ARGS, "w_past_end": _NULLABLE_ARGS,
    "w_write_member": _NULLABLE_ARGS}, "realistic7": {
    **SOCK_FIELDS, "c_skc_cast_release": uns("a BTF pointer passed to bpf_sk_release")},
    "realistic8": {**KFUNCS_V4, "n_irq_clobber": uns("loads and stores of a saved irq flag")}}
# v595: the networking programs call helpers only, which the two builds share; the kfunc
# programs and the BTF walks (offsets in messages) depend on the build: not recorded there
CASES = [(V1272, f) for f in KERNEL] + [(V595, "realistic5"), (V595, "realistic7")]


@pytest.mark.parametrize(("profile", "name"), CASES)
def test_offline_verdicts(profile: str, name: str) -> None:
    assert offline_rows(PROGS / f"{name}.bpf.o", profile) == OFFLINE[name]


@pytest.mark.parametrize("name", list(KERNEL))
def test_kernel_agrees(bpf_fds_checked: None, name: str) -> None:
    _, got = kernel_rows(PROGS / f"{name}.bpf.o", (V1272,))
    assert got == KERNEL[name]

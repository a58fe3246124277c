"""Realistic programs written for differential testing against the kernel (progs/realistic*.bpf.c:
packet parsing, maps with struct values, ring buffers, spin locks, tail calls, callbacks, BTF
pointer walks, local storage, kfuncs, iterators, subprograms, and deliberate bugs): the offline
verdict per shipped build, and the running kernel's verdict when it is a shipped build."""

from __future__ import annotations

from pathlib import Path

import pytest
from verdict_rows import ACCEPT, V595, V1272, kernel_rows, offline_rows, rej, uns

PROGS = Path(__file__).parent / "progs"


# the kernel's verdict on each program (recorded from 6.18.44-fc-v1272)
NET = {
    "xdp_ipv4_tcp": ACCEPT,
    "xdp_ihl_unchecked": rej("R1 offset is outside of the packet"),
    "xdp_vlan_count": ACCEPT,
    "xdp_eth_off_by_one": rej("R1 offset is outside of the packet"),
    "xdp_ipv6_exthdr": ACCEPT,
    "xdp_adjust_stale": rej("R6 invalid mem access 'scalar'"),
    "xdp_adjust_reload": ACCEPT,
    "xdp_ringbuf_output": ACCEPT,
    "xdp_ringbuf_output_uninit": ACCEPT,
    "xdp_bpf_loop": ACCEPT,
    "xdp_bpf_loop_bad_cb": rej("At callback return the register R0 has smin=2 smax=2 should "
                                "have been in [0, 1]"),
    "xdp_ret_any": ACCEPT,
    "tc_udp_ports": ACCEPT,
    "tc_lookup_no_null": rej("R0 invalid mem access 'map_value_or_null'"),
    "tc_spin_lock_ok": ACCEPT,
    "tc_spin_lock_leak": rej("BPF_EXIT instruction in main prog cannot be used inside "
                              "bpf_spin_lock-ed region"),
    "tc_spin_lock_helper": rej("function calls are not allowed while holding a lock"),
    "tc_spin_lock_read": rej("bpf_spin_lock cannot be accessed directly by load/store"),
    "tc_dispatch": ACCEPT,
    "tc_ringbuf_event": ACCEPT,
    "tc_ringbuf_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "tc_ringbuf_no_null": rej("R0 invalid mem access 'ringbuf_mem_or_null'"),
    "tc_ringbuf_overflow": rej("R0 min value is outside of the allowed memory range"),
    "tc_signed_index": rej("value -2147483648 makes map_value pointer be out of bounds"),
    "tc_unsigned_index": ACCEPT,
    "tc_index_off_by_one": rej("R0 max value is outside of the allowed memory range"),
    "tc_global_classify": ACCEPT,
    "tc_static_subprog": ACCEPT,
    "tc_static_subprog_neg": ACCEPT,
    "tc_atomic_pkt": rej("BPF_ATOMIC stores into R1 pkt is not allowed"),
    "tc_atomic_cmpxchg": ACCEPT,
    "tc_alu32_index": ACCEPT,
    "tc_alu32_wrap": rej("R0 unbounded memory access, make sure to bounds check any such access"),
    "tc_bpf_for_sum": ACCEPT,
    "tc_bpf_for_past": rej("R2 max value is outside of the allowed memory range"),
    "tc_tcp_options": ACCEPT,
    "sock_copy_payload": ACCEPT,
    "sock_copy_unbounded": rej("R4 unbounded memory access, use 'var &= const' or 'if (var "
                                "< const)'"),
    "sock_stack_var_off": ACCEPT,
    "sock_stack_var_off_uninit": ACCEPT,
    "cgskb_filter": ACCEPT,
    "cgskb_bad_ret": rej("At program exit the register R0 has smin=2 smax=2 should "
                          "have been in [0, 1]"),
    "cgskb_egress_cn": ACCEPT,
}
TRACING = {
    "on_switch": ACCEPT,
    "on_switch_no_null": rej("R0 invalid mem access 'map_value_or_null'"),
    "on_fork": ACCEPT,
    "on_fork_write": rej("only read is supported"),
    "on_exec": ACCEPT,
    "on_exec_concat": rej("R1 max value is outside of the allowed memory range"),
    "on_exec_concat_bad": ACCEPT,
    "exec_comm_concat": ACCEPT,
    "exec_comm_concat_long": rej("R1 max value is outside of the allowed memory range"),
    "comm_too_small": rej("invalid write to stack R1 off=-8 size=16"),
    "sys_enter_regs": ACCEPT,
    "sys_enter_hist_bad": rej("math between map_value pointer and register with unbounded "
                               "min value is not allowed"),
    "queue_pids": ACCEPT,
    "stack_map_lookup": rej("cannot pass map_type 7 into func bpf_map_lookup_elem#1"),
    "strncmp_writable": rej("R3 does not point to a readonly map'"),
    "global_bucket": rej("R1 unbounded memory access, make sure to bounds check any such access"),
    "global_bucket_unchecked": rej("R1 unbounded memory access, make sure to bounds check any "
                                    "such access"),
    "spill32_bounds": rej("R2 unbounded memory access, make sure to bounds check any "
                           "such access"),
    "spill_map_ptr": ACCEPT,
    "sys_exit_hist": ACCEPT,
    "raw_tp_spin_lock": rej("tracing progs cannot use bpf_spin_lock yet"),
    "tp_btf_spin_lock": ACCEPT,
    "wakeup_stack": ACCEPT,
    "wakeup_get_stack": ACCEPT,
    "wakeup_perf": ACCEPT,
    "stash_task": ACCEPT,
    "unstash_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "kptr_rcu_read": ACCEPT,
    "kptr_store_direct": rej("store to referenced kptr disallowed"),
    "stash_cpumask": ACCEPT,
    "parent_acquire": ACCEPT,
    "parent_acquire_no_null": rej("Possibly NULL pointer passed to trusted arg0"),
    "from_pid_double_release": rej("arg#0 pointer type STRUCT task_struct must point to scalar, "
                                    "or struct with scalar"),
    "rcu_unbalanced": rej("BPF_EXIT instruction in main prog cannot be used inside "
                           "bpf_rcu_read_lock-ed region"),
    "count_threads": ACCEPT,
    "syscall_args_rw": ACCEPT,
    "iter_num_leak": rej("BPF_EXIT instruction in main prog would lead to reference leak"),
    "iter_global_array": ACCEPT,
    "sleepable_perf": rej("Sleepable programs can only use array, hash, ringbuf and "
                           "local storage maps, also as inner maps"),
    "on_exit_fill": ACCEPT,
    "exit_snprintf": ACCEPT,
    "exit_strncmp": ACCEPT,
    "exit_for_each": ACCEPT,
    "exit_for_each_bad": rej("write to change key R2 not allowed"),
}
MAPS = {
    "task_storage_lookup": rej("cannot pass map_type 29 into func bpf_map_lookup_elem#1"),
    "task_storage_current": ACCEPT,
    "task_storage_untyped": rej("R2 type=scalar expected=ptr_, trusted_ptr_, rcu_ptr_"),
    "queue_lookup": rej("invalid zero-sized read"),
    "queue_peek_small": rej("invalid write to stack R2 off=-4 size=8"),
    "bloom_seen": ACCEPT,
    "cgroup_array_delete": rej("cannot pass map_type 8 into func bpf_map_delete_elem#3"),
    "tc_stack": rej("program of this type cannot use helper bpf_get_stack#67"),
    "exit_stackid": ACCEPT,
    "exit_stack_too_big": rej("invalid write to stack R2 off=-32 size=63"),
}
KERNEL = {"realistic": NET, "realistic2": TRACING, "realistic3": MAPS}

# offline: what kfcheck does not model is unsupported
OFFLINE = {**KERNEL, "realistic2": {
    **TRACING, "exit_snprintf": uns("helper #165")}}  # bpf_snprintf
# v595: the networking and map-misuse programs call helpers and num iterators only, which the
# two builds share; the tracing programs' kfunc rules differ between builds: not recorded there
CASES = [(V1272, f) for f in KERNEL] + [(V595, "realistic"), (V595, "realistic3")]


@pytest.mark.parametrize(("profile", "name"), CASES)
def test_offline_verdicts(profile: str, name: str) -> None:
    assert offline_rows(PROGS / f"{name}.bpf.o", profile) == OFFLINE[name]


@pytest.mark.parametrize("name", list(KERNEL))
def test_kernel_agrees(bpf_fds_checked: None, name: str) -> None:
    _, got = kernel_rows(PROGS / f"{name}.bpf.o", (V1272,))
    assert got == KERNEL[name]

"""The 6.18 kfunc table: coverage of the kernel's kfuncs, lookups, families."""

from __future__ import annotations

import pytest
from kfunc_paths import LIVE_BTF

from kfcheck.btf import load_btf
from kfcheck.profile.kfuncs.btfview import KfuncBtf, from_btf
from kfcheck.profile.kfuncs.schema import (
    Access,
    Family,
    FilterKind,
    Hook,
    KfFlag,
    SetDef,
    TableFile,
    access_labels,
)
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.uapi import AttachType, ProgType


def test_table_covers_the_embedded_btf(table_file: TableFile, embedded_view: KfuncBtf) -> None:
    """The embedded BTF is the reference kernel's sysfs BTF: works without /sys (CI)."""
    names = {k.name for k in table_file.kfuncs}
    tagged = embedded_view.tagged_names()
    assert len(tagged) == 203
    assert sorted(tagged - names) == []
    assert sorted(names - tagged) == []


@pytest.mark.skipif(not LIVE_BTF.exists(), reason="no /sys/kernel/btf/vmlinux")
def test_table_covers_live_btf(table_file: TableFile) -> None:
    live = from_btf(load_btf(str(LIVE_BTF)))
    names = {k.name for k in table_file.kfuncs}
    assert sorted(live.tagged_names() - names) == [], "kfuncs of the running kernel not in table"
    assert sorted(n for n in names if n not in live.funcs) == [], "entries the kernel lacks"
    assert live.special_kfunc_type == table_file.special_kfuncs
    KfuncTable.build(table_file, live)  # every entry resolves against the live BTF


def test_special_kfuncs_follow_the_btf_enum(table_file: TableFile, embedded_view: KfuncBtf) -> None:
    assert len(table_file.special_kfuncs) == 49
    assert table_file.special_kfuncs == embedded_view.special_kfunc_type


def test_lookups_agree_with_a_scan(table: KfuncTable, embedded_view: KfuncBtf) -> None:
    ids = [f.btf_id for f in embedded_view.funcs.values()]
    for btf_id in [*ids, 0, 1, 7, max(ids) + 1]:
        found = [s for s in table if s.btf_id == btf_id]
        assert table.kfunc(btf_id) == (found[0] if found else None)
        for fam in Family:
            want = bool(found) and fam in found[0].families
            assert table.in_family(btf_id, fam) is want
    for spec in table:
        assert table.by_name(spec.name) is spec
    assert table.by_name("bpf_no_such_kfunc") is None


def test_spec_fields(table: KfuncTable) -> None:
    spec = table.by_name("bpf_dynptr_slice")
    assert spec is not None
    assert spec.flag_names == ("KF_RET_NULL",)
    assert [a.annotation.value if a.annotation else None for a in spec.args] == [
        None, None, "__opt", "__szk"]
    assert spec.hooks == {Hook.COMMON}
    assert ProgType.XDP in spec.prog_types
    fs = table.by_name("bpf_get_file_xattr")
    assert fs is not None and fs.prog_types == {ProgType.LSM}
    assert fs.has(KfFlag.KF_SLEEPABLE)
    assert table.allowed(fs.btf_id, ProgType.LSM)
    assert not table.allowed(fs.btf_id, ProgType.TRACING)



def test_attach_type_filters(table: KfuncTable) -> None:
    """Filters that check the attach type narrow ``allowed`` and the exported labels (the
    probe's recorded run confirms: plain kprobe and tp_btf are denied)."""
    cookie = table.by_name("bpf_session_cookie")
    assert cookie is not None
    assert table.allowed(cookie.btf_id, ProgType.KPROBE, AttachType.TRACE_KPROBE_SESSION)
    assert table.allowed(cookie.btf_id, ProgType.KPROBE, AttachType.TRACE_UPROBE_SESSION)
    assert not table.allowed(cookie.btf_id, ProgType.KPROBE)
    assert not table.allowed(cookie.btf_id, ProgType.KPROBE, AttachType.TRACE_KPROBE_MULTI)
    assert access_labels(cookie.access) == (
        "KPROBE:TRACE_KPROBE_SESSION", "KPROBE:TRACE_UPROBE_SESSION")
    destroy = table.by_name("bpf_sock_destroy")
    assert destroy is not None
    assert table.allowed(destroy.btf_id, ProgType.TRACING, AttachType.TRACE_ITER)
    assert not table.allowed(destroy.btf_id, ProgType.TRACING, AttachType.TRACE_RAW_TP)
    assert not table.allowed(destroy.btf_id, ProgType.TRACING, AttachType.TRACE_FENTRY)
    assert access_labels(destroy.access) == ("TRACING:TRACE_ITER",)
    acquire = table.by_name("bpf_task_acquire")
    assert acquire is not None and "TRACING" in access_labels(acquire.access)
    assert table.allowed(acquire.btf_id, ProgType.TRACING, AttachType.TRACE_RAW_TP)
    assert not table.allowed(acquire.btf_id, ProgType.RAW_TRACEPOINT)
    assert not table.allowed(0, ProgType.TRACING)


def test_unnarrowed_grant_wins_in_labels() -> None:
    narrowed = Access(frozenset({ProgType.TRACING}), frozenset({AttachType.TRACE_ITER}))
    plain = Access(frozenset({ProgType.TRACING, ProgType.XDP}))
    assert access_labels((narrowed, plain)) == ("TRACING", "XDP")
    assert access_labels((narrowed,)) == ("TRACING:TRACE_ITER",)


def test_arena_filter_needs_an_arena_map() -> None:
    """``ARENA_PROG`` (v1272's arena_kfuncs): every program type, only with an arena map."""
    arena = SetDef("arena_kfuncs", frozenset({Hook.COMMON}), filter=FilterKind.ARENA_PROG)
    assert not arena.access.allows(ProgType.SYSCALL)
    assert arena.access.allows(ProgType.SYSCALL, has_arena=True)
    assert arena.access.allows(ProgType.XDP, has_arena=True)
    assert not arena.access.allows(ProgType.UNSPEC, has_arena=True)


def names(table: KfuncTable, fam: Family) -> set[str]:
    return {s.name for s in table.members(fam)}


def test_derived_families_are_unions(table: KfuncTable) -> None:
    assert names(table, Family.GRAPH_API) == (
        names(table, Family.LIST_API) | names(table, Family.RBTREE_API)
        | names(table, Family.REFCOUNT_ACQUIRE)
    )
    assert names(table, Family.SPIN_ALLOWED) == (
        names(table, Family.GRAPH_API) | names(table, Family.ITER_NUM)
        | names(table, Family.RES_SPIN_LOCK)
    )
    assert names(table, Family.CALLBACK_CALLING) == {
        "bpf_rbtree_add_impl", "bpf_wq_set_callback_impl",
        "bpf_task_work_schedule_signal_impl", "bpf_task_work_schedule_resume_impl"}
    assert names(table, Family.LIST_API) == {
        "bpf_list_push_front_impl", "bpf_list_push_back_impl", "bpf_list_pop_front",
        "bpf_list_pop_back", "bpf_list_front", "bpf_list_back"}
    assert names(table, Family.RBTREE_NODE_API) == {
        "bpf_rbtree_add_impl", "bpf_rbtree_remove", "bpf_rbtree_left", "bpf_rbtree_right"}
    assert names(table, Family.ARENA) == set()  # 6.18's verifier has no arena family yet


def test_no_entry_lists_a_family_it_gets_from_a_union(table_file: TableFile) -> None:
    from kfcheck.profile.kfuncs.families import closure

    inc = closure(table_file.families)
    for entry in table_file.kfuncs:
        for fam in entry.families:
            implied = {f for f in entry.families if f != fam and fam in inc[f]}
            assert not implied, f"{entry.name} lists {fam.name} and {implied}"


def test_families_and_special_kfuncs_agree(table: KfuncTable) -> None:
    """Families the kernel tests through special_kfunc_list have only special kfuncs; the one
    it tests as a kfunc set (DEV_BOUND: bpf_dev_bound_kfunc_id) has exactly the set's."""
    special = {s.name for s in table.special()}
    by_list = {s.name for s in table if s.families - {Family.DEV_BOUND}}
    assert by_list == special
    assert names(table, Family.DEV_BOUND) == {
        s.name for s in table if "xdp_metadata_kfunc_ids" in s.sets} == {
        "bpf_xdp_metadata_rx_hash", "bpf_xdp_metadata_rx_timestamp",
        "bpf_xdp_metadata_rx_vlan_tag"}
    assert table.file.families[Family.DEV_BOUND].predicate == "bpf_dev_bound_kfunc_id"


def test_flag_facts(table: KfuncTable) -> None:
    def flags(name: str) -> set[str]:
        spec = table.by_name(name)
        assert spec is not None
        return set(spec.flag_names)

    assert flags("bpf_task_acquire") == {"KF_ACQUIRE", "KF_RCU", "KF_RET_NULL"}
    assert flags("bpf_cast_to_kern_ctx") == {"KF_FASTCALL"}
    assert flags("bpf_iter_num_next") == {"KF_ITER_NEXT", "KF_RET_NULL"}
    for spec in table:
        iters = spec.flags & (KfFlag.KF_ITER_NEW | KfFlag.KF_ITER_NEXT | KfFlag.KF_ITER_DESTROY)
        assert bin(iters).count("1") <= 1


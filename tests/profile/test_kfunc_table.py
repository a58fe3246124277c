"""The 6.18 kfunc table: coverage of the kernel's kfuncs, lookups, families."""

from __future__ import annotations

import pytest
from kfunc_paths import LIVE_BTF, TABLE_PATH

from kfcheck.btf import Btf
from kfcheck.profile.kfuncs.btfview import KfuncBtf, from_btf
from kfcheck.profile.kfuncs.schema import Family, Hook, KfFlag, TableFile
from kfcheck.profile.kfuncs.table import KfuncTable
from kfcheck.uapi import ProgType


def test_table_covers_the_embedded_btf(table_file: TableFile, embedded_view: KfuncBtf) -> None:
    """The embedded BTF is the reference kernel's sysfs BTF: works without /sys (CI)."""
    names = {k.name for k in table_file.kfuncs}
    tagged = embedded_view.tagged_names()
    assert len(tagged) == 203
    assert sorted(tagged - names) == []
    assert sorted(names - tagged) == []


@pytest.mark.skipif(not LIVE_BTF.exists(), reason="no /sys/kernel/btf/vmlinux")
def test_table_covers_live_btf(table_file: TableFile) -> None:
    live = from_btf(Btf.load(str(LIVE_BTF)))
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


def test_lookups_are_dict_based(table: KfuncTable) -> None:
    # O(1): every question is a dict lookup (plus one AND); nothing scans a sequence.
    assert isinstance(table._by_id, dict) and isinstance(table._masks, dict)
    assert isinstance(table._by_name, dict)


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
    cookie = table.by_name("bpf_session_cookie")
    assert cookie is not None and cookie.prog_types == {ProgType.KPROBE}


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
    special = {s.name for s in table.special()}
    in_some_family = {s.name for s in table if s.families}
    assert in_some_family == special


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


def test_table_path_is_packaged() -> None:
    assert TABLE_PATH.name == "linux-6.18.kfuncs.toml" and TABLE_PATH.exists()

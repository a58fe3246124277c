"""The kernel probe: comparison logic on a recorded 6.18 run (no kernel needed), program
building, and live probes (root + bpf(); skipped otherwise)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from kfcheck.cli import main
from kfcheck.errors import KernelError, TableError
from kfcheck.isa.insn import decode
from kfcheck.kernel.syscall import available
from kfcheck.profile.embedded import Profile, load_profile, sysfs_btf
from kfcheck.profile.kfuncs import probe as probe_mod
from kfcheck.profile.kfuncs.btfview import BtfFunc, KfuncBtf, from_btf
from kfcheck.profile.kfuncs.probe import (
    TARGET_BY_KEY,
    Fact,
    ProbeRun,
    compare,
    load_run,
    probe,
    render,
    report_json,
    set_allows,
    table_allows,
)
from kfcheck.profile.kfuncs.schema import FilterKind, Hook, KfFlag, SetDef
from kfcheck.profile.kfuncs.table import KfuncTable

RECORDED = Path(__file__).with_name("probe-6.18.json")


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


@pytest.fixture(scope="module")
def run() -> ProbeRun:
    return load_run(str(RECORDED))


def _with_flags(table: KfuncTable, name: str, flip: KfFlag) -> KfuncTable:
    entries = tuple(dataclasses.replace(k, flags=k.flags ^ flip) if k.name == name else k
                    for k in table.file.kfuncs)
    file = dataclasses.replace(table.file, kfuncs=entries)
    funcs = {s.name: BtfFunc(s.name, s.btf_id, s.ret_type_id, (), True) for s in table}
    return KfuncTable.build(file, KfuncBtf("test", funcs, ()))


def test_recorded_run_agrees_with_the_table(profile: Profile, run: ProbeRun) -> None:
    cmp = compare(profile.table, run)
    assert cmp.disagreements == ()
    assert cmp.missing == ()
    assert cmp.confirmed[Fact.ALLOWED] > 5000
    assert cmp.confirmed[Fact.SLEEPABLE] > 150
    assert cmp.confirmed[Fact.RET_NULL] >= 20 and cmp.confirmed[Fact.ACQUIRE] >= 20
    assert {t.key for t in cmp.unprobeable_targets} == {"fentry", "lsm"}
    text = render(cmp, run)
    assert "# disagreements: 0" in text
    assert "bpf_xdp_metadata_rx_hash: allowed" in text  # device-bound: listed with the reason
    assert json.loads(json.dumps(report_json(cmp, run)))["disagreements"] == []


@pytest.mark.parametrize(("name", "flag", "fact"), [
    ("bpf_task_from_pid", KfFlag.KF_RET_NULL, Fact.RET_NULL),
    ("bpf_task_from_pid", KfFlag.KF_ACQUIRE, Fact.ACQUIRE),
    ("bpf_copy_from_user_str", KfFlag.KF_SLEEPABLE, Fact.SLEEPABLE),
    ("bpf_task_acquire", KfFlag.KF_SLEEPABLE, Fact.SLEEPABLE),
])
def test_a_wrong_flag_is_a_disagreement(profile: Profile, run: ProbeRun, name: str,
                                        flag: KfFlag, fact: Fact) -> None:
    cmp = compare(_with_flags(profile.table, name, flag), run)
    assert [(d.kfunc, d.fact) for d in cmp.disagreements] == [(name, fact)]
    assert cmp.disagreements[0].table != cmp.disagreements[0].kernel
    assert f"{name}: {fact.value}: table says" in cmp.disagreements[0].line()


def test_a_wrong_set_is_a_disagreement(profile: Profile, run: ProbeRun) -> None:
    sets = dict(profile.table.file.sets)
    sets["bpf_kfunc_check_set_skb_meta"] = dataclasses.replace(
        sets["bpf_kfunc_check_set_skb_meta"], hooks=frozenset({Hook.TC}))
    file = dataclasses.replace(profile.table.file, sets=sets)
    table = KfuncTable.build(file, from_btf(profile.btf))
    cmp = compare(table, run)
    assert [(d.kfunc, d.target, d.table, d.kernel) for d in cmp.disagreements] == [
        ("bpf_dynptr_from_skb_meta", "action", False, True)]


def test_set_filters() -> None:
    lsm_only = SetDef("fs", frozenset({Hook.TRACING}), filter=FilterKind.LSM_PROG)
    assert not set_allows(lsm_only, TARGET_BY_KEY["tp_btf"])
    assert set_allows(lsm_only, TARGET_BY_KEY["lsm"])
    iters = SetDef("sk", frozenset({Hook.TRACING}), filter=FilterKind.ITER_ATTACH)
    assert set_allows(iters, TARGET_BY_KEY["iter"])
    assert not set_allows(iters, TARGET_BY_KEY["tp_btf"])
    session = SetDef("kp", frozenset({Hook.KPROBE}), filter=FilterKind.SESSION_ATTACH)
    assert set_allows(session, TARGET_BY_KEY["kprobe.session"])
    assert not set_allows(session, TARGET_BY_KEY["kprobe"])
    common = SetDef("c", frozenset({Hook.COMMON}))
    assert all(set_allows(common, t) for t in TARGET_BY_KEY.values())
    # raw_tp has no kfunc hook (bpf_prog_type_to_kfunc_hook): only COMMON kfuncs
    tracing = SetDef("t", frozenset({Hook.TRACING}))
    assert not set_allows(tracing, TARGET_BY_KEY["raw_tp"])
    assert set_allows(tracing, TARGET_BY_KEY["tp"])


def test_table_allows_uses_every_set(profile: Profile) -> None:
    spec = profile.table.by_name("bpf_dynptr_from_skb")
    assert spec is not None
    assert table_allows(profile.table, spec, TARGET_BY_KEY["socket"])
    assert not table_allows(profile.table, spec, TARGET_BY_KEY["xdp"])


def test_recording_round_trip(run: ProbeRun, tmp_path: Path) -> None:
    again = ProbeRun.from_json(json.loads(json.dumps(run.to_json())))
    assert again.to_json() == run.to_json()
    bad = tmp_path / "bad.json"
    bad.write_text('{"kernel": "x"}')
    with pytest.raises(TableError, match="malformed probe recording"):
        load_run(str(bad))
    bad.write_text("{")
    with pytest.raises(TableError, match="invalid JSON"):
        load_run(str(bad))


def test_cli_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "probe", "--recorded", str(RECORDED), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["disagreements"] == [] and out["confirmed"]["allowed"] > 5000


def test_programs_decode(profile: Profile) -> None:
    """Probe programs are well-formed: they decode, jumps land inside, ends with exit."""
    built = 0
    for name in ("bpf_task_under_cgroup", "bpf_cpumask_and", "bpf_sock_addr_set_sun_path",
                 "bpf_task_acquire", "bpf_copy_from_user_str"):
        spec = profile.table.by_name(name)
        assert spec is not None
        for target in ("tc", "cgroup_sock_addr", "syscall.s"):
            builder = probe_mod._Builder(profile.btf, profile.table, spec, TARGET_BY_KEY[target])
            try:
                prog, call_at = builder.program(lambda a: None)
            except probe_mod._Unsynth:
                assert (name, target) in {("bpf_sock_addr_set_sun_path", "tc"),
                                          ("bpf_sock_addr_set_sun_path", "syscall.s")}
                continue
            built += 1
            insns = decode(prog)
            assert insns[-1].code == 0x95
            for insn in insns:  # conditional jumps land inside the program
                if insn.code == 0x15:
                    assert 0 <= insn.index + 1 + insn.off < len(prog) // 8
            assert prog[call_at * 8] == 0x85 and prog[call_at * 8 + 1] >> 4 == 2
    assert built == 13


# ---- live kernel ----

live = pytest.mark.skipif(available() is not None or os.geteuid() != 0,
                          reason=f"needs root and bpf(): {available() or 'not root'}")


def _bpf_fds() -> set[str]:
    out = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("anon_inode:") and "bpf" in target:
            out.add(target + fd)
    return out


@pytest.fixture(scope="module")
def live_profile() -> Profile:
    if not Path(sysfs_btf()).exists():
        pytest.skip(f"no {sysfs_btf()}")
    return load_profile(sysfs_btf())


@pytest.mark.kernel
@live
def test_live_probe_agrees(live_profile: Profile) -> None:
    names = ["bpf_task_from_pid", "bpf_task_acquire", "bpf_cpumask_create", "bpf_cgroup_ancestor",
             "bpf_copy_from_user_str", "bpf_rdonly_cast", "bpf_dynptr_from_skb_meta",
             "bpf_sock_destroy", "bpf_session_cookie", "bpf_xdp_metadata_rx_hash"]
    before = _bpf_fds()
    got = probe(live_profile.table, live_profile.btf, 60, names)
    assert _bpf_fds() == before  # every program closed
    assert [k.name for k in got.kfuncs] == [s.name for s in live_profile.table if s.name in names]
    obs = {k.name: k for k in got.kfuncs}
    assert obs["bpf_task_from_pid"].facts == {
        Fact.SLEEPABLE: False, Fact.RET_NULL: True, Fact.ACQUIRE: True}
    assert obs["bpf_copy_from_user_str"].facts[Fact.SLEEPABLE] is True
    assert obs["bpf_rdonly_cast"].facts[Fact.RET_NULL] is False
    assert obs["bpf_sock_destroy"].allowed["iter"] and not obs["bpf_sock_destroy"].allowed["tp_btf"]
    assert obs["bpf_session_cookie"].allowed["kprobe.session"]
    assert not obs["bpf_session_cookie"].allowed["kprobe"]
    assert Fact.ALLOWED in obs["bpf_xdp_metadata_rx_hash"].unprobed
    assert compare(live_profile.table, got).disagreements == ()


@pytest.mark.kernel
@live
def test_live_full_probe_within_limit(live_profile: Profile) -> None:
    before = _bpf_fds()
    got = probe(live_profile.table, live_profile.btf, 60)
    assert _bpf_fds() == before
    assert not got.timed_out and len(got.kfuncs) == len(live_profile.table)
    assert compare(live_profile.table, got).disagreements == ()


@pytest.mark.kernel
@live
def test_live_time_limit(live_profile: Profile) -> None:
    got = probe(live_profile.table, live_profile.btf, 0.0)
    assert got.timed_out and got.kfuncs == []
    cmp = compare(live_profile.table, got)
    assert len(cmp.missing) == len(live_profile.table)
    assert "time limit reached" in render(cmp, got)


def test_needs_root(monkeypatch: pytest.MonkeyPatch, profile: Profile,
                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(KernelError, match="needs root"):
        probe(profile.table, profile.btf, 1)
    monkeypatch.setenv("KFCHECK_SYSFS_BTF", str(Path(__file__)))
    assert main(["table", "probe"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kfcheck: ")

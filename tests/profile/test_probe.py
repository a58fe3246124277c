"""The kernel probe: comparison logic on the recorded runs of every build (no kernel needed),
program building, and live probes (root + bpf(); skipped otherwise)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from builds import REFERENCE, RecordedBuild, recorded_builds, running_build

from kfcheck.cli import main
from kfcheck.commands.profile import corrections
from kfcheck.commands.table import PROBE_INCOMPLETE
from kfcheck.errors import KernelError, TableError
from kfcheck.isa.insn import decode
from kfcheck.kernel.probe import (
    Fact,
    ProbeRun,
    compare,
    load_run,
    probe,
    render,
    report_json,
)
from kfcheck.kernel.synth import (
    TARGET_BY_KEY,
    Built,
    Maps,
    Synth,
    Unsynth,
    prog_btf,
    set_allows,
    table_allows,
)
from kfcheck.kernel.syscall import available, open_bpf_fds
from kfcheck.profile.embedded import Profile, list_manifests, load_profile, sysfs_btf
from kfcheck.profile.kfuncs.btfview import from_btf
from kfcheck.profile.kfuncs.schema import Family, FilterKind, Hook, KfFlag, SetDef
from kfcheck.profile.kfuncs.table import KfuncTable

BUILDS = recorded_builds()
RECORDED = next(b for b in BUILDS if b.release == REFERENCE).probe


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


@pytest.fixture(scope="module")
def run() -> ProbeRun:
    return load_run(str(RECORDED))


def _with_flags(profile: Profile, name: str, flip: KfFlag) -> KfuncTable:
    table = profile.table
    entries = tuple(dataclasses.replace(k, flags=k.flags ^ flip) if k.name == name else k
                    for k in table.file.kfuncs)
    file = dataclasses.replace(table.file, kfuncs=entries)
    return KfuncTable.build(file, from_btf(profile.btf))


def test_recorded_run_agrees_with_the_table(profile: Profile, run: ProbeRun) -> None:
    cmp = compare(profile.table, run)
    assert cmp.disagreements == ()
    assert cmp.missing == ()
    assert cmp.confirmed[Fact.ALLOWED] > 5000
    assert cmp.confirmed[Fact.SLEEPABLE] > 150
    assert cmp.confirmed[Fact.RET_NULL] >= 27 and cmp.confirmed[Fact.ACQUIRE] >= 36
    assert cmp.confirmed[Fact.RELEASE] >= 56
    assert cmp.confirmed[Fact.TRUSTED_ARGS] >= 20 and cmp.confirmed[Fact.RCU] >= 50
    assert cmp.confirmed[Fact.RCU_PROTECTED] >= 100 and cmp.confirmed[Fact.SPIN_ALLOWED] >= 180
    observed = {(k.name, f): v for k in run.kfuncs for f, v in k.facts.items()}
    # the new facts are seen both ways (so a wrong table entry can show); every 6.18 kfunc
    # the probe can pass an untrusted object to enforces trust (or RCU): no "no" to see there
    for fact in (Fact.RCU, Fact.RCU_PROTECTED, Fact.SPIN_ALLOWED):
        assert {v for (_, f), v in observed.items() if f is fact} == {True, False}, fact
    assert {v for (_, f), v in observed.items() if f is Fact.TRUSTED_ARGS} == {True}
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
    ("bpf_task_release", KfFlag.KF_RELEASE, Fact.RELEASE),
    ("bpf_cpumask_and", KfFlag.KF_RELEASE, Fact.RELEASE),
    ("bpf_obj_new_impl", KfFlag.KF_RET_NULL, Fact.RET_NULL),
    ("bpf_iter_num_next", KfFlag.KF_ACQUIRE, Fact.ACQUIRE),
    ("bpf_dynptr_slice", KfFlag.KF_RET_NULL, Fact.RET_NULL),
    ("bpf_cpumask_acquire", KfFlag.KF_TRUSTED_ARGS, Fact.TRUSTED_ARGS),
    ("bpf_strlen", KfFlag.KF_RCU_PROTECTED, Fact.RCU_PROTECTED),
    ("bpf_iter_task_new", KfFlag.KF_RCU_PROTECTED, Fact.RCU_PROTECTED),
    ("bpf_task_acquire", KfFlag.KF_RCU, Fact.RCU),
])
def test_a_wrong_flag_is_a_disagreement(profile: Profile, run: ProbeRun, name: str,
                                        flag: KfFlag, fact: Fact) -> None:
    cmp = compare(_with_flags(profile, name, flag), run)
    spec = profile.table.by_name(name)
    assert spec is not None
    # KF_RELEASE also means trusted arguments to the verifier (see the next test)
    seen = next(k for k in run.kfuncs if k.name == name).facts
    also = [(name, Fact.TRUSTED_ARGS)] if (flag is KfFlag.KF_RELEASE and Fact.TRUSTED_ARGS in seen
                                           and not spec.has(KfFlag.KF_TRUSTED_ARGS)) else []
    assert [(d.kfunc, d.fact) for d in cmp.disagreements] == [(name, fact), *also]
    assert cmp.disagreements[0].table != cmp.disagreements[0].kernel
    assert f"{name}: {fact.value}: table says" in cmp.disagreements[0].line()


def test_release_implies_trusted_args(profile: Profile, run: ProbeRun) -> None:
    """is_kfunc_trusted_args is KF_TRUSTED_ARGS or KF_RELEASE: bpf_task_release has only the
    latter and the kernel enforces trusted arguments."""
    spec = profile.table.by_name("bpf_task_release")
    assert spec is not None and not spec.has(KfFlag.KF_TRUSTED_ARGS)
    obs = next(k for k in run.kfuncs if k.name == "bpf_task_release")
    assert obs.facts[Fact.TRUSTED_ARGS] is True
    assert "R1 must be referenced or trusted" in obs.evidence[Fact.TRUSTED_ARGS]


@pytest.mark.parametrize(("name", "fam", "want"), [
    ("bpf_iter_num_new", Family.ITER_NUM, True),  # kfunc_spin_allowed: the kernel allows it
    ("bpf_strlen", Family.ITER_NUM, False),  # ... and refuses this one under a lock
])
def test_a_wrong_family_is_a_disagreement(profile: Profile, run: ProbeRun, name: str,
                                          fam: Family, want: bool) -> None:
    entries = tuple(dataclasses.replace(k, families=k.families ^ {fam}) if k.name == name
                    else k for k in profile.table.file.kfuncs)
    file = dataclasses.replace(profile.table.file, kfuncs=entries)
    cmp = compare(KfuncTable.build(file, from_btf(profile.btf)), run)
    assert [(d.kfunc, d.fact, d.kernel) for d in cmp.disagreements] == [
        (name, Fact.SPIN_ALLOWED, want)]


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
    assert table_allows(spec, TARGET_BY_KEY["socket"])
    assert not table_allows(spec, TARGET_BY_KEY["xdp"])


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


@pytest.mark.parametrize("build", BUILDS, ids=[b.release for b in BUILDS])
def test_every_recorded_build_agrees_with_its_profile(build: RecordedBuild) -> None:
    run = load_run(str(build.probe))
    assert (run.kernel, run.btf_sha256) == (build.release, build.btf_sha256)
    (manifest,) = [m for m in list_manifests() if m.btf_sha256 == build.btf_sha256]
    table = load_profile(name=manifest.name).table
    cmp = compare(table, run)
    assert cmp.disagreements == () and cmp.missing == ()
    assert cmp.confirmed[Fact.ALLOWED] > 5000 and cmp.confirmed[Fact.RELEASE] >= 56


def test_v1272_answers_otherwise_than_v595_table() -> None:
    """The builds differ: v1272's run against v595's table shows its trusted-argument policy,
    and v595's capture-style corrections of v1272's run turn the policy on, nothing else."""
    (v1272,) = [b for b in BUILDS if b.release == "6.18.44-fc-v1272"]
    run = load_run(str(v1272.probe))
    table = load_profile(name=REFERENCE).table
    cmp = compare(table, run)
    assert sorted((d.kfunc, d.fact, d.kernel) for d in cmp.disagreements) == [
        ("bpf_copy_from_user_task_str", Fact.TRUSTED_ARGS, True),
        ("bpf_sock_addr_set_sun_path", Fact.TRUSTED_ARGS, True),
        ("css_rstat_flush", Fact.TRUSTED_ARGS, True),
        ("css_rstat_updated", Fact.TRUSTED_ARGS, True)]
    fixes = corrections(table.file, cmp, run)
    assert fixes.args_trusted_by_default and fixes.entries == ()
    arena = {k.name: k for k in run.kfuncs}["bpf_arena_alloc_pages"]
    assert "arena map" in arena.unprobed[Fact.ALLOWED] and arena.allowed == {}


def test_corrections_fix_flags_and_keep_the_policy(profile: Profile, run: ProbeRun) -> None:
    table = _with_flags(profile, "bpf_task_from_pid", KfFlag.KF_RET_NULL)
    fixes = corrections(table.file, compare(table, run), run)
    assert not fixes.args_trusted_by_default
    (entry,) = fixes.entries
    assert entry.name == "bpf_task_from_pid" and entry.flags & KfFlag.KF_RET_NULL
    assert "ret_null corrected by a probe" in entry.note
    assert any(u.startswith("bpf_xdp_metadata_rx_hash: allowed: not probed")
               for u in fixes.unconfirmed)


def test_incomplete_run_exits_nonzero(run: ProbeRun, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    cut = dataclasses.replace(run, kfuncs=run.kfuncs[:10], timed_out=True)
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(cut.to_json()))
    assert main(["table", "probe", "--recorded", str(path)]) == PROBE_INCOMPLETE
    err = capsys.readouterr().err.splitlines()
    assert err == ["kfcheck: warning: probe incomplete (time limit reached): 193 of 203 kfuncs "
                   "not probed"]
    path.write_text(json.dumps(dataclasses.replace(cut, timed_out=False).to_json()))
    assert main(["table", "probe", "--recorded", str(path)]) == PROBE_INCOMPLETE
    assert "kfuncs missing from the run" in capsys.readouterr().err


def test_kernel_btf_needs_recorded(profile: Profile, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "vmlinux"
    raw.write_bytes(profile.btf.to_bytes())
    assert main(["table", "--kernel-btf", str(raw), "probe"]) == 2  # before any root check
    err = capsys.readouterr().err.splitlines()
    assert err == [f"kfcheck: {raw}: --kernel-btf applies to table probe --recorded only: a "
                   "live probe uses the running kernel's BTF"]
    assert main(["table", "--kernel-btf", str(raw), "probe", "--recorded", str(RECORDED)]) == 0


_FAKE_MAPS = Maps(3, 4)


def _synth(profile: Profile, target: str, maps: Maps = _FAKE_MAPS) -> Synth:
    return Synth(profile.btf, profile.table, TARGET_BY_KEY[target], prog_btf(), maps)


def _check_decodes(built: Built) -> list[int]:
    """The program decodes, conditional jumps land inside, it ends with exit; return the
    kfunc ids it calls."""
    prog = built.insns
    insns = decode(prog)
    assert insns[-1].code == 0x95
    for insn in insns:
        if insn.code == 0x15:
            assert 0 <= insn.index + 1 + insn.off < len(prog) // 8
    assert prog[built.call_at * 8] == 0x85 and prog[built.call_at * 8 + 1] >> 4 == 2
    return [i.imm for i in insns if i.code == 0x85 and i.src == 2]


def test_programs_decode(profile: Profile) -> None:
    """Probe programs are well-formed: they decode, jumps land inside, ends with exit."""
    built = 0
    for name in ("bpf_task_under_cgroup", "bpf_cpumask_and", "bpf_sock_addr_set_sun_path",
                 "bpf_task_acquire", "bpf_copy_from_user_str"):
        spec = profile.table.by_name(name)
        assert spec is not None
        for target in ("tc", "cgroup_sock_addr", "syscall.s"):
            try:
                prog = _synth(profile, target).build(spec)
            except Unsynth:
                assert (name, target) in {("bpf_sock_addr_set_sun_path", "tc"),
                                          ("bpf_sock_addr_set_sun_path", "syscall.s"),
                                          # no cpumask kfunc in tc or cgroup programs
                                          ("bpf_cpumask_and", "tc"),
                                          ("bpf_cpumask_and", "cgroup_sock_addr")}
                continue
            built += 1
            _check_decodes(prog)
    assert built == 11


def _ids(profile: Profile, *names: str) -> list[int]:
    out = []
    for name in names:
        spec = profile.table.by_name(name)
        assert spec is not None
        out.append(spec.btf_id)
    return out


def test_iterator_programs(profile: Profile) -> None:
    """_next and _destroy get an iterator made by _new; _new and _next destroy it."""
    table = profile.table
    new, nxt, destroy = _ids(profile, "bpf_iter_num_new", "bpf_iter_num_next",
                             "bpf_iter_num_destroy")
    for name, calls in (("bpf_iter_num_new", [new, destroy]),
                        ("bpf_iter_num_next", [new, nxt, destroy]),
                        ("bpf_iter_num_destroy", [new, destroy])):
        spec = table.by_name(name)
        assert spec is not None
        assert _check_decodes(_synth(profile, "tc").build(spec)) == calls


def test_release_programs(profile: Profile) -> None:
    """Referenced arguments come from acquiring producers; ``consumed`` leaves them to the
    call; ``twice`` calls it again; an unreleasable object makes the program unbuildable."""
    spec = profile.table.by_name("bpf_task_release")
    assert spec is not None
    from_pid, release = _ids(profile, "bpf_task_from_pid", "bpf_task_release")
    synth = _synth(profile, "tc")
    keep = synth.build(spec, referenced=True, consumed=True)
    assert _check_decodes(keep) == [from_pid, release]
    assert len(keep.passed_refs) == 1 and keep.passed_refs[0] < keep.call_at
    assert _check_decodes(synth.build(spec, referenced=True)) == [from_pid, release, release]
    twice = synth.build(spec, referenced=True, consumed=True, twice=True)
    assert _check_decodes(twice) == [from_pid, release, release]
    unref = _synth(profile, "tp_btf").build(spec)  # the current task: no reference
    assert unref.passed_refs == () and _check_decodes(unref) == [release]
    timeout = profile.table.by_name("bpf_ct_set_timeout")
    assert timeout is not None
    with pytest.raises(Unsynth, match="no kfunc releases struct nf_conn___init"):
        synth.build(timeout, referenced=True)
    assert synth.build(timeout, referenced=True, consumed=True).passed_refs


def test_object_and_map_arguments(profile: Profile) -> None:
    """bpf_obj_new gets a program BTF type; dynptrs and __str strings point into maps."""
    types = prog_btf()
    new = profile.table.by_name("bpf_obj_new_impl")
    assert new is not None
    built = _synth(profile, "tc").build(new)
    assert built.uses_btf and decode(built.insns)[1].imm == types.plain
    counted = profile.table.by_name("bpf_refcount_acquire_impl")
    assert counted is not None
    assert _synth(profile, "tc").build(counted).uses_btf
    xattr = profile.table.by_name("bpf_cgroup_read_xattr")  # (cgroup, name__str, dynptr)
    assert xattr is not None
    insns = decode(_synth(profile, "tc").build(xattr).insns)
    assert {i.imm for i in insns if i.code == 0x18 and i.src == 2} == {3, 4}
    with pytest.raises(Unsynth, match="__str argument: needs a map"):
        _synth(profile, "tc", Maps(data=3)).build(xattr)
    with pytest.raises(Unsynth, match="dynptr argument: needs a map"):
        _synth(profile, "tc", Maps(string=4)).build(xattr)


# ---- live kernel ----

live = pytest.mark.skipif(available() is not None or os.geteuid() != 0,
                          reason=f"needs root and bpf(): {available() or 'not root'}")


def running_profile() -> str | None:
    """The shipped profile of the running build (by BTF digest), None when it has none."""
    build = running_build()
    return next((m.name for m in list_manifests() if build is not None
                 and m.btf_sha256 == build.btf_sha256), None)


@pytest.fixture(scope="module")
def live_profile() -> Profile:
    """The running build's profile (else the newest shipped one) on the running kernel's BTF."""
    if not Path(sysfs_btf()).exists():
        pytest.skip(f"no {sysfs_btf()}")
    return load_profile(sysfs_btf(), running_profile() or list_manifests()[-1].name)


@pytest.mark.kernel
@live
def test_live_probe_agrees(live_profile: Profile) -> None:
    names = ["bpf_task_from_pid", "bpf_task_acquire", "bpf_cpumask_create", "bpf_cgroup_ancestor",
             "bpf_copy_from_user_str", "bpf_rdonly_cast", "bpf_dynptr_from_skb_meta",
             "bpf_sock_destroy", "bpf_session_cookie", "bpf_xdp_metadata_rx_hash",
             "bpf_task_release", "bpf_obj_new_impl", "bpf_obj_drop_impl", "bpf_iter_num_next",
             "bpf_dynptr_slice", "bpf_ct_insert_entry", "bpf_strlen"]
    before = open_bpf_fds()
    got = probe(live_profile.table, live_profile.btf, 60, names)
    assert open_bpf_fds() == before  # every program closed
    assert [k.name for k in got.kfuncs] == [s.name for s in live_profile.table if s.name in names]
    obs = {k.name: k for k in got.kfuncs}
    assert obs["bpf_task_from_pid"].facts == {
        Fact.SLEEPABLE: False, Fact.RET_NULL: True, Fact.ACQUIRE: True,
        Fact.RCU_PROTECTED: False, Fact.SPIN_ALLOWED: False}
    assert obs["bpf_copy_from_user_str"].facts[Fact.SLEEPABLE] is True
    assert obs["bpf_rdonly_cast"].facts[Fact.RET_NULL] is False
    assert obs["bpf_sock_destroy"].allowed["iter"] and not obs["bpf_sock_destroy"].allowed["tp_btf"]
    assert obs["bpf_session_cookie"].allowed["kprobe.session"]
    assert not obs["bpf_session_cookie"].allowed["kprobe"]
    assert Fact.ALLOWED in obs["bpf_xdp_metadata_rx_hash"].unprobed
    assert obs["bpf_task_release"].facts[Fact.RELEASE] is True
    assert "second call: " in obs["bpf_task_release"].evidence[Fact.RELEASE]
    assert obs["bpf_task_acquire"].facts[Fact.RELEASE] is False
    assert obs["bpf_obj_drop_impl"].facts[Fact.RELEASE] is True
    assert obs["bpf_obj_new_impl"].facts[Fact.RET_NULL] is True
    assert obs["bpf_dynptr_slice"].facts[Fact.RET_NULL] is True
    assert obs["bpf_ct_insert_entry"].facts == {
        Fact.SLEEPABLE: False, Fact.RELEASE: True, Fact.ACQUIRE: True, Fact.RET_NULL: True,
        Fact.TRUSTED_ARGS: True, Fact.RCU: False, Fact.SPIN_ALLOWED: False}
    assert obs["bpf_iter_num_next"].facts[Fact.ACQUIRE] is False
    assert "drained" in obs["bpf_iter_num_next"].unprobed[Fact.RET_NULL]
    assert obs["bpf_strlen"].facts == {
        Fact.SLEEPABLE: False, Fact.RCU_PROTECTED: False, Fact.SPIN_ALLOWED: False}
    assert obs["bpf_task_acquire"].facts[Fact.RCU] is True
    assert obs["bpf_iter_num_next"].facts[Fact.SPIN_ALLOWED] is True
    assert "takes no pointer" in obs["bpf_strlen"].unprobed[Fact.RELEASE]
    if running_profile() is not None:
        assert compare(live_profile.table, got).disagreements == ()


@pytest.mark.kernel
@live
def test_live_full_probe_within_limit(live_profile: Profile) -> None:
    before = open_bpf_fds()
    got = probe(live_profile.table, live_profile.btf, 60)
    assert open_bpf_fds() == before
    assert not got.timed_out and len(got.kfuncs) == len(live_profile.table)
    if running_profile() is None:
        pytest.skip(f"no profile of the running build {running_build()}: nothing to agree with")
    assert compare(live_profile.table, got).disagreements == ()


@pytest.mark.kernel
@live
def test_live_time_limit(live_profile: Profile) -> None:
    before = open_bpf_fds()
    got = probe(live_profile.table, live_profile.btf, 0.0)
    assert open_bpf_fds() == before
    assert got.timed_out and got.kfuncs == []
    cmp = compare(live_profile.table, got)
    assert len(cmp.missing) == len(live_profile.table)
    assert "time limit reached" in render(cmp, got)
    assert main(["table", "probe", "--timeout", "0"]) == PROBE_INCOMPLETE


def test_needs_root(monkeypatch: pytest.MonkeyPatch, profile: Profile,
                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(KernelError, match="needs root"):
        probe(profile.table, profile.btf, 1)
    monkeypatch.setenv("KFCHECK_SYSFS_BTF", str(Path(__file__)))
    assert main(["table", "probe"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kfcheck: ")


@pytest.mark.kernel
@live
def test_live_fds_closed_on_error(live_profile: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
    from kfcheck.kernel.probe import run as probe_mod

    def boom(self: object, targets: object) -> None:
        raise RuntimeError("boom")

    before = open_bpf_fds()
    monkeypatch.setattr(probe_mod._Prober, "observe", boom)
    with pytest.raises(RuntimeError, match="boom"):
        probe(live_profile.table, live_profile.btf, 10)
    assert open_bpf_fds() == before

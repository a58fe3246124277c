"""The kernel's recorded verdicts on the corpus, per kernel build, and the oracle behind them.

Offline, for every recorded build (tests/records/<release>/): the record covers exactly the
corpus programs, agrees with every header's intent for that build and with the libbpf reference
loader's record of the same build. With bpf(): the live oracle reproduces the running build's
record (skipped, saying how to record it, when the running build has none), equals the libbpf
reference loader program by program, and leaves no fd open.
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from builds import RecordedBuild, no_record_reason, recorded_builds, running_record
from corpus_intent import CORPUS_DIR, Intent, corpus_sources, read_intent
from record_expected import STABLE_FIELDS, corpus_objects, record_row

from kfcheck.kernel.syscall import open_bpf_fds
from kfcheck.obj import BpfObject, Function, RelocKind, read_object
from kfcheck.verdict import Outcome, Verdict, parse_stats

BUILDS = recorded_builds()
BUILD_IDS = [b.release for b in BUILDS]
INTENTS = [read_intent(s) for s in corpus_sources()]
OBJECTS = corpus_objects()
OBJECT_NAMES = [o.name for o in OBJECTS]
# libbpf stages meaning "libbpf itself failed, the kernel never saw the program".
LIBBPF_FAILED = ("open", "libbpf")


def calls_kfunc(obj: BpfObject, entry: Function) -> bool:
    """Whether a program, or a subprogram it reaches, has a KFUNC relocation."""
    subprogs = {f.name: f for f in obj.subprograms}
    todo, seen = [entry], {entry.name}
    while todo:
        func = todo.pop()
        for reloc in func.relocations:
            if reloc.kind is RelocKind.KFUNC:
                return True
            if reloc.kind in (RelocKind.SUBPROG_CALL, RelocKind.CALLBACK) \
                    and reloc.target in subprogs and reloc.target not in seen:
                seen.add(reloc.target)
                todo.append(subprogs[reloc.target])
    return False


@dataclass(frozen=True)
class CorpusProgram:
    """One entry program of a committed corpus object, as read_object sees it."""

    file: str
    name: str
    section: str
    calls_kfunc: bool

    @property
    def area(self) -> str:
        """The corpus area: the file name up to its first underscore (task, list, ...)."""
        return self.file.split("_", 1)[0]


def corpus_programs() -> list[CorpusProgram]:
    out: list[CorpusProgram] = []
    for path in OBJECTS:
        obj = read_object(str(path))
        out.extend(CorpusProgram(path.name, p.name, p.sec_name, calls_kfunc(obj, p))
                   for p in obj.programs)
    return out


PROGRAMS = corpus_programs()


# ---- offline: every build's record ----

by_build = pytest.mark.parametrize("build", BUILDS, ids=BUILD_IDS)


@by_build
def test_record_is_deterministic_text(build: RecordedBuild) -> None:
    text = build.corpus.read_text()
    data = json.loads(text)
    assert set(data) == {"kernel", "btf_sha256", "files"}
    assert data["kernel"] == build.directory.name and len(data["btf_sha256"]) == 64
    assert text == json.dumps(data, indent=1, sort_keys=True) + "\n"


@by_build
def test_record_has_only_stable_fields(build: RecordedBuild) -> None:
    for file, programs in build.corpus_files().items():
        for program, row in programs.items():
            assert tuple(sorted(row)) == tuple(sorted(STABLE_FIELDS)), (file, program)
            assert row["verdict"] in ("accept", "reject"), (file, program, row)
            # every corpus program reaches the kernel's verifier, with its BTF
            assert row["stage"] == "kernel" and row["btf_error"] is None, (file, program, row)
            if row["verdict"] == "accept":
                assert row["error"] == "" and row["insn"] is None and row["errno"] is None
            else:
                assert row["error"] and row["errno"], (file, program, row)


@by_build
def test_record_names_only_corpus_programs(build: RecordedBuild) -> None:
    """A record covers the corpus as it was when the build was recorded: programs added since
    are recorded on the builds at hand (the running build's record must have them all)."""
    in_objects = {(p.file, p.name): p.section for p in PROGRAMS}
    in_record = {(f, name): row["section"] for f, programs in build.corpus_files().items()
                 for name, row in programs.items()}
    assert in_record.items() <= in_objects.items()


def test_some_record_covers_the_whole_corpus() -> None:
    everything = {(p.file, p.name) for p in PROGRAMS}
    assert any({(f, n) for f, programs in b.corpus_files().items() for n in programs}
               == everything for b in BUILDS)


def test_corpus_size_counted_from_objects() -> None:
    assert len(PROGRAMS) >= 150
    assert sum(p.calls_kfunc for p in PROGRAMS) >= 100


# Areas whose kfuncs no program may call successfully: __bpf_trap is emitted only by the
# compiler (for uninitialised variables); a call written in C is always refused.
REJECT_ONLY_AREAS = {"trap"}


@by_build
def test_every_file_prefix_calling_kfuncs_has_both_verdicts(build: RecordedBuild) -> None:
    """Each area has an accepted and a rejected kfunc program, except those no program may pass."""
    record = build.corpus_files()
    verdicts: dict[str, set[str]] = {}
    for p in PROGRAMS:
        if p.calls_kfunc and p.file in record:
            verdicts.setdefault(p.area, set()).add(record[p.file][p.name]["verdict"])
    one_sided = {area: v for area, v in verdicts.items()
                 if v != {"accept", "reject"} and area not in REJECT_ONLY_AREAS}
    assert not one_sided


# The kfunc areas the corpus must cover (issue #3), as patterns over object names; each needs
# accepted and rejected programs that call kfuncs.
KFUNC_AREAS: dict[str, tuple[str, ...]] = {
    "acquire/release: task": ("task_acquire_*", "task_release_*", "task_double_release_*"),
    "acquire/release: cgroup": ("cgroup_*",),
    "acquire/release: cpumask": ("cpumask_*",),
    "NULL checks": ("*_no_null_check_bad*", "*_deref_no_check_bad*", "task_from_pid_ok*",
                    "cgroup_from_id_release_ok*", "task_acquire_release_ok*"),
    "use after release": ("*_use_after_*", "*_after_unlock_bad*", "obj_new_drop_ok*",
                          "task_from_pid_ok*"),
    "RCU regions": ("rcu_*",),
    "preempt regions": ("preempt_*",),
    "irq regions": ("irq_*",),
    "iterators": ("iter_*",),
    "lists": ("list_*",),
    "rbtrees": ("rbtree_*",),
    "obj_new/obj_drop": ("obj_*", "percpu_obj_*"),
    "res_spin_lock": ("res_*",),
    "dynptrs": ("dynptr_*",),
    "sleepable kfuncs": ("sleepable_*",),
    "kfuncs not allowed for a program type": ("progtype_*",),
    "bad argument types": ("task_acquire_wrong_struct_bad*", "task_acquire_scalar_bad*",
                           "cgroup_release_task_bad*", "cast_to_kern_ctx_not_ctx_bad*",
                           "cpumask_set_cpu_readonly_mask_bad*", "cast_to_kern_ctx_ok*",
                           "cpumask_copy_ok*"),
}


@by_build
@pytest.mark.parametrize("area", KFUNC_AREAS)
def test_kfunc_area_has_accepted_and_rejected_programs(build: RecordedBuild, area: str) -> None:
    record = build.corpus_files()
    verdicts: set[str] = set()
    for pattern in KFUNC_AREAS[area]:
        matched = [p for p in PROGRAMS if fnmatch(p.file, pattern) and p.file in record]
        assert matched, f"{area}: no corpus object matches {pattern}"
        verdicts |= {record[p.file][p.name]["verdict"] for p in matched if p.calls_kfunc}
    assert verdicts == {"accept", "reject"}, area


@pytest.mark.parametrize(("file", "insn"), [
    ("loop_infinite_bad.bpf.o", 2),  # "infinite loop detected at insn 2"
    ("throw_in_callback_bad.bpf.o", 10),  # "bpf_throw kfunc (insn 10) cannot be called ..."
    ("stack_combined_too_large_bad.bpf.o", None),  # checked after the main pass
    ("loop_too_many_insns_bad.bpf.o", None),  # the complexity limit
    ("task_acquire_leak_bad.bpf.o", 6),  # the exit leaking the reference
])
@by_build
def test_recorded_insn_is_the_one_the_error_is_about(build: RecordedBuild, file: str,
                                                     insn: int | None) -> None:
    (row,) = build.corpus_files()[file].values()
    assert row["verdict"] == "reject" and row["insn"] == insn, row


@by_build
@pytest.mark.parametrize("intent", INTENTS, ids=[i.source.name for i in INTENTS])
def test_record_is_intended(build: RecordedBuild, intent: Intent) -> None:
    programs = build.corpus_files().get(intent.object.name)
    if programs is None:
        pytest.skip(f"{intent.object.name} is newer than the {build.release} record")
    for program, row in programs.items():
        assert intent.matches(row["verdict"], row["error"], build.release), (program, row)


@by_build
def test_record_agrees_with_libbpf_where_libbpf_loaded(build: RecordedBuild) -> None:
    record, libbpf = build.corpus_files(), build.libbpf_files()
    assert set(libbpf) == set(record)
    compared = 0
    for file, programs in libbpf.items():
        for program, got in programs.items():
            if got.get("stage") in LIBBPF_FAILED:
                continue
            row = record[file][program]
            assert (row["verdict"], row["error"]) == (got["verdict"], got["error"]), \
                (file, program)
            if "errno" in got and got["errno"] != errno.ENOSPC:  # ENOSPC: see log_truncated
                assert row["errno"] == errno.errorcode[got["errno"]], (file, program)
            compared += 1
    assert compared >= 150


@by_build
def test_oracle_loads_what_libbpf_1_1_could_not(build: RecordedBuild) -> None:
    """The corpus holds objects libbpf 1.1 fails on (e.g. tcx/ingress); the oracle loads them."""
    record, libbpf = build.corpus_files(), build.libbpf_files()
    failed = [(file, program) for file, programs in libbpf.items()
              for program, got in programs.items() if got.get("stage") in LIBBPF_FAILED]
    assert failed
    for file, program in failed:
        rows = record[file] if program == "*" else {program: record[file][program]}
        for row in rows.values():
            assert row["verdict"] == "accept" and row["processed_insns"], (file, program, row)


# ---- with the kernel: one oracle run and one libbpf run per session ----

def require_bpf() -> None:
    from kfcheck.kernel.syscall import available

    reason = available()
    if reason is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")


@dataclass(frozen=True)
class OracleRun:
    """The oracle's verdicts on the whole corpus and the BPF fds open around the run."""

    verdicts: dict[str, dict[str, Verdict]]
    fds_before: frozenset[str]
    fds_after: frozenset[str]


@pytest.fixture(scope="module")
def oracle_run() -> OracleRun:
    require_bpf()
    from record_expected import verify_corpus

    before = open_bpf_fds()
    verdicts = verify_corpus(OBJECTS)
    after = open_bpf_fds()
    return OracleRun({f: {v.program: v for v in vs} for f, vs in verdicts.items()},
                     before, after)


@pytest.fixture(scope="module")
def libbpf_run() -> Iterator[dict[str, list[Any]]]:
    require_bpf()
    from libbpf_load import Libbpf, LoaderError, load_object

    try:
        lib = Libbpf()
    except LoaderError as exc:
        pytest.skip(f"libbpf reference loader unavailable: {exc}")
    yield {path.name: load_object(path, lib=lib) for path in OBJECTS}


@pytest.mark.kernel
@pytest.mark.parametrize("file", OBJECT_NAMES)
def test_live_oracle_reproduces_record(oracle_run: OracleRun, file: str) -> None:
    """The running build answers as recorded, statistics included: a difference is a
    regression of the oracle or a changed kernel behind a known build."""
    build = running_record()
    if build is None:
        pytest.skip(no_record_reason())
    live = oracle_run.verdicts[file]
    rows = build.corpus_files()[file]
    assert set(live) == set(rows)
    for program, row in rows.items():
        assert record_row(live[program]) == row, program


def error_insn(log: str, error: str) -> int | None:
    """The instruction an error is about, worked out here from the reference loader's log
    (not with kfcheck.verdict): the index the error names; none for the whole-program
    checks (stack size, complexity limit); else the last instruction line before the error."""
    if named := re.search(r"\bat insn (\d+)|\(insn (\d+)\)", error):
        return int(named.group(1) or named.group(2))
    if error.endswith(". Too large") or error.startswith("BPF program is too large."):
        return None
    lines = log.splitlines()
    at = max(i for i, line in enumerate(lines) if line.strip() == error)
    numbered = [int(line.split(":")[0]) for line in lines[:at] if re.match(r"\d+: \(", line)]
    return numbered[-1] if numbered else None


def log_truncated(err: int, log: str) -> bool:
    """ENOSPC with a full buffer: the reference loader's log (LOG_SIZE) was too small, so the
    kernel replaced the verifier's errno by ENOSPC; the oracle retries with the size the
    kernel asks for and keeps the verifier's errno (e.g. E2BIG for a too-large program)."""
    from libbpf_load import LOG_SIZE

    return err == errno.ENOSPC and len(log.encode()) >= LOG_SIZE - 1


@pytest.mark.kernel
@pytest.mark.parametrize("file", OBJECT_NAMES)
def test_oracle_equals_libbpf_reference_loader(
        oracle_run: OracleRun, libbpf_run: dict[str, list[Any]], file: str) -> None:
    oracle = oracle_run.verdicts[file]
    for result in libbpf_run[file]:
        if result.stage in LIBBPF_FAILED:
            # libbpf never reached the kernel; the kernel verified and accepted the oracle's
            # program (its log has the statistics lines of a completed verification).
            programs = list(oracle.values()) if result.program == "*" \
                else [oracle[result.program]]
            for verdict in programs:
                assert verdict.outcome is Outcome.ACCEPT, (verdict.program, verdict.error)
                assert verdict.processed_insns and verdict.log, verdict.program
            continue
        verdict = oracle[result.program]
        assert verdict.section == result.section
        assert verdict.outcome.value == str(result.verdict), (result.program, verdict.error)
        assert verdict.error == result.error, result.program
        if not log_truncated(result.errno, result.log):
            assert verdict.errno == result.errno, result.program
        libbpf_insn = error_insn(result.log, result.error) if result.error else None
        assert verdict.insn == libbpf_insn, result.program
        # Same instructions verified: same work done by the kernel.
        stats = parse_stats(result.log)
        assert (verdict.processed_insns, verdict.total_states, verdict.peak_states) == \
            (stats.processed_insns, stats.total_states, stats.peak_states), result.program


@pytest.fixture(scope="module")
def link_target() -> Any:
    """The running kernel as link target (read once)."""
    require_bpf()
    from kfcheck.link import KernelTarget

    return KernelTarget.running()


@pytest.mark.kernel
@pytest.mark.parametrize("file", OBJECT_NAMES)
def test_linked_program_btf_loads(link_target: Any, file: str) -> None:
    """The kernel takes every linked program's BTF (the oracle would otherwise load the
    program without BTF, func_info and line_info, and say so in ``btf_error``)."""
    from kfcheck.kernel import syscall
    from kfcheck.link import Program, link_file

    linked = [p for p in link_file(str(CORPUS_DIR / file), link_target)
              if isinstance(p, Program)]
    assert linked
    for btf in {p.btf.to_bytes() if p.btf is not None else b"" for p in linked}:
        assert btf
        syscall.close(syscall.btf_load(btf))


@pytest.mark.kernel
def test_oracle_over_corpus_leaves_no_bpf_fds(oracle_run: OracleRun) -> None:
    assert sum(len(v) for v in oracle_run.verdicts.values()) == len(PROGRAMS)
    leaked = oracle_run.fds_after - oracle_run.fds_before
    assert not leaked, f"BPF fds left open: {sorted(leaked)}"


@pytest.mark.kernel
def test_fd_lister_sees_open_bpf_fds() -> None:
    """The leak check can fail: an open BPF object shows up in open_bpf_fds()."""
    require_bpf()
    from kfcheck.kernel import syscall
    from kfcheck.uapi import MapType

    fd = syscall.map_create(MapType.ARRAY, 4, 4, 1, name="kfcheck_fdtest")
    try:
        assert f"{fd}:anon_inode:bpf-map" in open_bpf_fds()
    finally:
        syscall.close(fd)
    assert not any(s.startswith(f"{fd}:") for s in open_bpf_fds())


def test_objects_are_the_intents_objects() -> None:
    assert [i.object for i in INTENTS] == OBJECTS
    assert all(isinstance(p, Path) and p.is_file() for p in OBJECTS)

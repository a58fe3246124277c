"""expected.json, the kernel's recorded verdicts on the corpus, and the oracle behind it.

Offline: the record covers exactly the corpus programs, agrees with every header's intent and
with the libbpf reference loader's recorded verdicts. With bpf(): the live oracle reproduces
the record, equals the libbpf reference loader program by program, and leaves no fd open.
"""

from __future__ import annotations

import errno
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from corpus_intent import CORPUS_DIR, Intent, corpus_sources, read_intent
from record_expected import OUTPUT, STABLE_FIELDS, corpus_objects, kernel_release, record_row

from kfcheck.kernel.syscall import open_bpf_fds
from kfcheck.obj import BpfObject, Function, RelocKind, read_object
from kfcheck.verdict import Outcome, Verdict, last_meaningful_line, parse_stats

LIBBPF_VERDICTS = CORPUS_DIR / "libbpf_verdicts.json"
INTENTS = [read_intent(s) for s in corpus_sources()]
OBJECTS = corpus_objects()
OBJECT_NAMES = [o.name for o in OBJECTS]
# libbpf stages meaning "libbpf itself failed, the kernel never saw the program".
LIBBPF_FAILED = ("open", "libbpf")


def recorded() -> dict[str, dict[str, dict[str, Any]]]:
    files: dict[str, dict[str, dict[str, Any]]] = json.loads(OUTPUT.read_text())["files"]
    return files


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
    out = []
    for path in OBJECTS:
        obj = read_object(str(path))
        out.extend(CorpusProgram(path.name, p.name, p.sec_name, calls_kfunc(obj, p))
                   for p in obj.programs)
    return out


PROGRAMS = corpus_programs()


# ---- offline: the record itself ----

def test_record_is_deterministic_text() -> None:
    text = OUTPUT.read_text()
    data = json.loads(text)
    assert set(data) == {"kernel", "files"}
    assert text == json.dumps(data, indent=1, sort_keys=True) + "\n"


def test_record_has_only_stable_fields() -> None:
    for file, programs in recorded().items():
        for program, row in programs.items():
            assert tuple(sorted(row)) == tuple(sorted(STABLE_FIELDS)), (file, program)
            assert row["verdict"] in ("accept", "reject"), (file, program, row)
            if row["verdict"] == "accept":
                assert row["error"] == "" and row["insn"] is None and row["errno"] is None
            else:
                assert row["error"] and row["errno"], (file, program, row)


def test_record_covers_exactly_the_corpus_programs() -> None:
    in_objects = {(p.file, p.name): p.section for p in PROGRAMS}
    in_record = {(f, name): row["section"]
                 for f, programs in recorded().items() for name, row in programs.items()}
    assert in_record == in_objects


def test_corpus_size_counted_from_objects() -> None:
    assert len(PROGRAMS) >= 150
    assert sum(p.calls_kfunc for p in PROGRAMS) >= 100


def test_kfunc_areas_have_accepted_and_rejected_programs() -> None:
    record = recorded()
    verdicts: dict[str, set[str]] = defaultdict(set)
    for p in PROGRAMS:
        if p.calls_kfunc:
            verdicts[p.area].add(record[p.file][p.name]["verdict"])
    one_sided = {area: v for area, v in verdicts.items() if v != {"accept", "reject"}}
    assert not one_sided
    assert len(verdicts) >= 10


@pytest.mark.parametrize("intent", INTENTS, ids=[i.source.name for i in INTENTS])
def test_record_is_intended(intent: Intent) -> None:
    programs = recorded()[intent.object.name]
    assert programs
    for program, row in programs.items():
        assert intent.matches(row["verdict"], row["error"]), (program, row)


def test_record_agrees_with_libbpf_where_libbpf_loaded() -> None:
    record, libbpf = recorded(), json.loads(LIBBPF_VERDICTS.read_text())
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


def test_oracle_loads_what_libbpf_1_1_could_not() -> None:
    """The corpus holds objects libbpf 1.1 fails on (e.g. tcx/ingress); the oracle loads them."""
    record, libbpf = recorded(), json.loads(LIBBPF_VERDICTS.read_text())
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
    fds_before: set[str]
    fds_after: set[str]


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
    live = oracle_run.verdicts[file]
    rows = recorded()[file]
    assert set(live) == set(rows)
    same_kernel = json.loads(OUTPUT.read_text())["kernel"] == kernel_release()
    for program, row in rows.items():
        got = record_row(live[program])
        assert (got["verdict"], got["error"], got["insn"]) == \
            (row["verdict"], row["error"], row["insn"]), program
        if same_kernel:  # the statistics are only stable on the kernel that recorded them
            assert got == row, program


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
        libbpf_insn = last_meaningful_line(result.log)[1] if result.error else None
        assert verdict.insn == libbpf_insn, result.program
        # Same instructions verified: same work done by the kernel.
        stats = parse_stats(result.log)
        assert (verdict.processed_insns, verdict.total_states, verdict.peak_states) == \
            (stats.processed_insns, stats.total_states, stats.peak_states), result.program


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

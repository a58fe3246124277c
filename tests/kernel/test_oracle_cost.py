"""The oracle logs only what the answer needs: statistics for an accept, a level-1 reload for a
reject whose error line does not settle the instruction, one reused log buffer."""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfcheck.kernel import oracle, syscall
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.uapi import ProgType
from kfcheck.verdict import Outcome, Verdict

pytestmark = [pytest.mark.kernel, pytest.mark.usefixtures("bpf_fds_checked")]

TESTS = Path(__file__).parents[1]
LINK_OBJECTS = sorted((TESTS / "link" / "progs").glob("*.bpf.o"))
LOOP_INFINITE = TESTS / "corpus" / "loop_infinite_bad.bpf.o"  # "infinite loop detected at insn 2"
KFUNCS = TESTS / "link" / "progs" / "kfuncs.bpf.o"  # kfunc_leak: reference leak at insn 8

MOV_R0_0 = struct.pack("<BBhi", 0xB7, 0, 0, 0)
EXIT = struct.pack("<BBhi", 0x95, 0, 0, 0)


def programs(path: Path) -> list[Program]:
    return [p for p in link_file(str(path), KernelTarget.running()) if isinstance(p, Program)]


def answer(v: Verdict) -> tuple[Any, ...]:
    """Everything but the timing and the log."""
    stats = dataclasses.replace(v.stats, verification_time_us=None)
    return v.outcome, v.error, v.insn, v.errno, stats, v.btf_error, v.stage


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The log level of every BPF_PROG_LOAD the oracle makes."""
    levels: list[int] = []
    real = syscall.prog_load

    def counted(*args: Any, **kwargs: Any) -> syscall.LoadResult:
        levels.append(kwargs["log_level"])
        return real(*args, **kwargs)

    monkeypatch.setattr(syscall, "prog_load", counted)
    return levels


@pytest.fixture
def fresh_buffer() -> Iterator[None]:
    """Start from no log buffer; leave none behind (the next load allocates the usual one)."""
    syscall._log_buffer.buf = None
    yield
    syscall._log_buffer.buf = None


@pytest.mark.parametrize("path", LINK_OBJECTS, ids=lambda p: p.name)
def test_cheap_log_gives_the_full_log_answer(path: Path) -> None:
    for prog in programs(path):
        full, cheap = oracle.load(prog), oracle.load(prog, full_log=False)
        assert answer(cheap) == answer(full), prog.name
        assert cheap.processed_insns is not None and cheap.log.endswith(
            f"processed {cheap.processed_insns} insns (limit 1000000) "
            f"max_states_per_insn {cheap.stats.max_states_per_insn} total_states "
            f"{cheap.total_states} peak_states {cheap.peak_states} mark_read "
            f"{cheap.stats.mark_read}\n")


def test_accept_is_one_load_at_stats_level(loads: list[int]) -> None:
    (prog,) = programs(TESTS / "link" / "progs" / "core.bpf.o")
    assert oracle.load(prog, full_log=False).outcome is Outcome.ACCEPT
    assert loads == [oracle.STATS_LOG]
    loads.clear()
    oracle.load(prog)
    assert loads == [oracle.FULL_LOG]


def test_reject_is_reloaded_for_the_path_to_its_error(loads: list[int]) -> None:
    leak = next(p for p in programs(KFUNCS) if p.name == "kfunc_leak")
    verdict = oracle.load(leak, full_log=False)
    assert loads == [oracle.STATS_LOG, oracle.PATH_LOG]
    assert (verdict.error, verdict.insn) == (
        "BPF_EXIT instruction in main prog would lead to reference leak", 8)
    lines = verdict.log.splitlines()
    at = lines.index(verdict.error)
    assert lines[at - 2 : at] == ["8: (95) exit", "Unreleased reference id=2 alloc_insn=2"]
    assert lines[-1].startswith(f"processed {verdict.processed_insns} insns")
    assert [line.split()[0] for line in lines[at + 1 :]] == ["verification", "stack",
                                                             "processed"]


def test_error_naming_its_insn_needs_no_reload(loads: list[int]) -> None:
    (prog,) = programs(LOOP_INFINITE)
    verdict = oracle.load(prog, full_log=False)
    assert loads == [oracle.STATS_LOG]
    assert (verdict.error, verdict.insn) == ("infinite loop detected at insn 2", 2)


@pytest.mark.usefixtures("fresh_buffer")
@pytest.mark.parametrize(("size", "reloads"), [(512, 0), (128, 1)])
def test_path_log_end_is_enough(monkeypatch: pytest.MonkeyPatch, size: int,
                                reloads: int) -> None:
    """A path log larger than the buffer keeps its end: with 512 bytes the end still holds
    the instruction line before the error; with 128 it does not, and the program is loaded
    again with the whole log. Either way the answer is the full log's."""
    leak = next(p for p in programs(KFUNCS) if p.name == "kfunc_leak")
    full = oracle.load(leak)
    real = syscall.prog_load
    levels: list[tuple[int, bool]] = []

    def small(*args: Any, **kwargs: Any) -> syscall.LoadResult:
        syscall._log_buffer.buf = None
        levels.append((kwargs["log_level"], kwargs.get("keep_tail", False)))
        return real(*args, **{**kwargs, "log_size": size})

    monkeypatch.setattr(syscall, "prog_load", small)
    cheap = oracle.load(leak, full_log=False)
    assert answer(cheap) == answer(full)
    assert levels == [(oracle.STATS_LOG, False), (oracle.PATH_LOG, True)] + \
        [(oracle.PATH_LOG, False)] * reloads


def test_one_log_buffer_for_every_load() -> None:
    oracle.check_file(str(KFUNCS))
    buf = syscall._log_buffer.buf
    assert buf is not None and len(buf) == syscall.LOG_SIZE_START
    for path in LINK_OBJECTS:
        oracle.check_file(str(path))
    assert syscall._log_buffer.buf is buf


@pytest.mark.usefixtures("fresh_buffer")
def test_buffer_grows_on_enospc_and_stays_grown() -> None:
    body = MOV_R0_0 * 200 + EXIT
    result = syscall.prog_load(body, ProgType.SOCKET_FILTER, log_size=256)
    assert result.ok and not result.log_truncated
    assert "processed 201 insns" in result.log
    grown = syscall._log_buffer.buf
    assert grown is not None and len(grown) > 256
    assert syscall.prog_load(body, ProgType.SOCKET_FILTER, log_size=256).ok
    assert syscall._log_buffer.buf is grown  # no second growth, no new buffer


@pytest.mark.usefixtures("fresh_buffer")
def test_keep_tail_returns_the_end_of_the_log() -> None:
    body = MOV_R0_0 * 200 + EXIT
    result = syscall.prog_load(body, ProgType.SOCKET_FILTER, log_level=2 | 4, log_size=256,
                               keep_tail=True)
    assert (result.ok, result.log_truncated) == (False, True)
    assert len(result.log) < 256 and result.log.endswith(" mark_read 0\n")


def test_load_refused_before_logging_has_an_empty_log() -> None:
    """The reused buffer is emptied: no line of the previous load shows in the next one."""
    assert "R0 !read_ok" in syscall.prog_load(EXIT, ProgType.SOCKET_FILTER).log
    refused = syscall.prog_load(EXIT, 0xFFFF)  # no such program type: EINVAL, nothing logged
    assert (refused.ok, refused.log) == (False, "")

"""Verdicts from real kernel logs (recorded from Linux 6.18 in tests/kernel/logs/)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from kfcheck.verdict import LogStats, Outcome, Verdict, last_meaningful_line, parse_stats

LOGS = Path(__file__).parent / "logs"


def log(name: str) -> str:
    return (LOGS / f"{name}.log").read_text()


def test_accept_stats_with_verification_time_and_subprog_stack() -> None:
    verdict = Verdict.from_kernel(True, 0, log("accept_subprog.level6"))
    assert verdict.outcome is Outcome.ACCEPT
    assert verdict.error == "" and verdict.insn is None
    assert verdict.processed_insns == 5
    assert verdict.stats.stack_depth == (0, 0)
    assert verdict.stats.insn_limit == 1_000_000
    assert verdict.verification_time_us is not None and verdict.verification_time_us > 0


def test_accept_level1_has_no_time() -> None:
    stats = parse_stats(log("accept_subprog.level1"))
    assert stats.processed_insns == 5 and stats.verification_time_us is None


@pytest.mark.parametrize("level", ["level1", "level6"])
def test_reject_error_is_last_meaningful_line_with_insn(level: str) -> None:
    verdict = Verdict.from_kernel(False, errno.EACCES, log(f"reject_read_ok.{level}"))
    assert verdict.outcome is Outcome.REJECT
    assert verdict.error == "R2 !read_ok"
    assert verdict.insn == 3
    assert verdict.processed_insns == 4
    assert verdict.errno == errno.EACCES


@pytest.mark.parametrize(
    ("name", "error"),
    [("reject_no_exit", "last insn is not an exit or jmp"), ("reject_loop", "unreachable insn 2")],
)
def test_reject_before_do_check_has_no_insn(name: str, error: str) -> None:
    for level in ("level1", "level6"):
        verdict = Verdict.from_kernel(False, errno.EINVAL, log(f"{name}.{level}"))
        assert (verdict.error, verdict.insn, verdict.processed_insns) == (error, None, 0)


def test_empty_log_reject_uses_errno_name() -> None:
    verdict = Verdict.from_kernel(False, errno.EINVAL, "")
    assert verdict.error == "EINVAL" and verdict.stats == LogStats()


def test_trailer_lines_only_at_the_end_are_skipped() -> None:
    text = "processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 " \
        "peak_states 0 mark_read 0\n5: (85) call foo#1\nsome error\n\n"
    assert last_meaningful_line(text) == ("some error", 5)
    assert parse_stats(text) == LogStats()


def test_unsupported_and_json() -> None:
    verdict = Verdict.unsupported("typeless ksym").named("a.o", "prog", "tc")
    row = verdict.to_json()
    assert row["verdict"] == "unsupported" and row["error"] == "unsupported: typeless ksym"
    assert (row["file"], row["program"], row["section"]) == ("a.o", "prog", "tc")
    assert "log" not in row and "log" in verdict.to_json(with_log=True)

"""Verdicts from real kernel logs (recorded from Linux 6.18 in tests/kernel/logs/)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from kfcheck.verdict import (
    LogStats,
    Outcome,
    Stage,
    Verdict,
    cause_line,
    last_meaningful_line,
    parse_stats,
)

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


def test_message_without_newline_is_split_from_the_statistics() -> None:
    """The kernel prints "expected prog array map for tail call" without its newline, so the
    statistics line runs on after it; the error and the statistics are still read apart."""
    text = ("0: R1=ctx() R10=fp0\n2: (85) call bpf_tail_call#12\n"
            "expected prog array map for tail callprocessed 3 insns (limit 1000000) "
            "max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n")
    verdict = Verdict.from_kernel(False, errno.EINVAL, text)
    assert (verdict.error, verdict.insn) == ("expected prog array map for tail call", 2)
    assert verdict.stats.processed_insns == 3


def test_unsupported_and_json() -> None:
    verdict = Verdict.unsupported("typeless ksym").named("a.o", "prog", "tc")
    row = verdict.to_json()
    assert row["verdict"] == "unsupported" and row["error"] == "unsupported: typeless ksym"
    assert (row["file"], row["program"], row["section"]) == ("a.o", "prog", "tc")
    assert "log" not in row and "log" in verdict.to_json(with_log=True)


@pytest.mark.parametrize(("name", "error", "insn"), [
    # the error names the instruction; the last one printed is 7 (exit) / 12 (exit)
    ("reject_infinite_loop", "infinite loop detected at insn 2", 2),
    ("reject_throw_in_callback",
     "bpf_throw kfunc (insn 10) cannot be called from callback subprog 1", 10),
    # a check made after the main pass: no instruction is at fault (the last printed is 1)
    ("reject_stack_too_large", "combined stack size of 3 calls is 640. Too large", None),
])
def test_insn_is_the_one_the_error_is_about(name: str, error: str, insn: int | None) -> None:
    verdict = Verdict.from_kernel(False, errno.EACCES, log(f"{name}.level6"))
    assert (verdict.error, verdict.insn) == (error, insn)


def test_complexity_limit_names_no_insn() -> None:
    text = ("7: (05) goto pc-3\n6: (07) r1 += 1\nBPF program is too large. Processed 1000001 insn\n"
            "processed 1000001 insns (limit 1000000) max_states_per_insn 4 total_states 9 "
            "peak_states 9 mark_read 1\n")
    assert last_meaningful_line(text) == ("BPF program is too large. Processed 1000001 insn", None)


def test_insn_line_is_used_when_the_error_names_another_kind_of_index() -> None:
    text = "7: (85) call bpf_local_irq_restore#1\ncannot restore irq state out of order, " \
        "expected id=2 acquired at insn_idx=5\n"
    assert last_meaningful_line(text)[1] == 7


PROCESSED_6_18 = ("processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 1 "
                  "peak_states 1 mark_read 0")


@pytest.mark.parametrize(("line", "stats"), [
    (PROCESSED_6_18, LogStats(2, 1_000_000, 0, 1, 1, 0)),
    # newer: more fields (a posted patch adds jmp_allocs/jmp_total/jmp_peak)
    (PROCESSED_6_18 + " jmp_allocs 3 jmp_total 4 jmp_peak 1",
     LogStats(2, 1_000_000, 0, 1, 1, 0,
              extra=(("jmp_allocs", 3), ("jmp_total", 4), ("jmp_peak", 1)))),
    # older: fewer fields, in another order
    ("processed 2 insns (limit 1000000) total_states 1 max_states_per_insn 0",
     LogStats(2, 1_000_000, 0, 1)),
    ("processed 2 insns (limit 131072), stack depth 0+8",
     LogStats(2, 131_072, stack_depth=(0, 8))),
    ("processed 2 insns (limit 4096)", LogStats(2, 4096)),
])
def test_processed_line_of_any_shape_is_a_trailer_read_as_fields(line: str,
                                                                stats: LogStats) -> None:
    text = f"0: (95) exit\nR0 !read_ok\n{line}\n"
    verdict = Verdict.from_kernel(False, errno.EACCES, text)
    assert (verdict.error, verdict.insn) == ("R0 !read_ok", 0)
    assert verdict.stats == stats


def test_link_failures_have_stage_link_and_kernel_verdicts_stage_kernel() -> None:
    from kfcheck.commands.report import format_table
    from kfcheck.link import LinkFailure
    from kfcheck.verdict import link_failure_verdict as failure_verdict

    rejected = failure_verdict(LinkFailure("a.o", "p", "tp_btf/x", "prog 'p': failed to find "
                                           "kernel BTF type ID of 'x': -3"))
    unsupported = failure_verdict(LinkFailure("a.o", "q", "struct_ops/y",
                                              "unsupported: struct_ops programs",
                                              "struct_ops programs"))
    kernel = Verdict.from_kernel(False, errno.EACCES, log("reject_read_ok.level6")).named(
        "a.o", "r", "tc")
    assert [v.stage for v in (rejected, unsupported, kernel)] == [Stage.LINK, Stage.LINK,
                                                                  Stage.KERNEL]
    assert [v.to_json()["stage"] for v in (rejected, unsupported, kernel)] == [
        "link", "link", "kernel"]
    assert rejected.outcome is Outcome.REJECT and unsupported.outcome is Outcome.UNSUPPORTED
    rows = format_table([rejected, kernel]).splitlines()
    assert rows[2].split()[2:4] == ["reject", "(link)"]
    assert rows[3].split()[2] == "reject" and "(link)" not in rows[3]


def test_cause_of_a_leak_is_the_reference_the_exit_leaks() -> None:
    # cpumask_create_leak_bad.bpf.o, recorded from the kernel (6.18.44-fc-v1272)
    leak = log("reject_leak.level2")
    assert last_meaningful_line(leak) == (
        "BPF_EXIT instruction in main prog would lead to reference leak", 6)
    assert cause_line(leak) == "Unreleased reference id=2 alloc_insn=0"
    other = log("reject_read_ok.level6")
    assert cause_line(other) == last_meaningful_line(other)[0]

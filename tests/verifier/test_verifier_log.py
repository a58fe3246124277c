"""The verifier log (``kfcheck check --log-level N``): kfcheck's level-2 log of accepted corpus
programs diffs line by line with the kernel's own, recorded per build in
``tests/records/<release>/logs/`` (``make record-logs``), for the instruction lines with their
register and stack states, the states printed on their own, source lines, ``from``/``safe``
lines and the summary (``verifier_logs.normalize`` says what is left out and why); the
recorded logs are checked again against the running kernel when it is that build."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from builds import RECORDS, no_record_reason, running_record
from verifier_logs import CORPUS, normalize

from kfcheck.cli import main
from kfcheck.kernel.oracle import check_file
from kfcheck.kernel.syscall import available
from kfcheck.profile.embedded import load_profile
from kfcheck.verifier.check import check

LOGS = sorted(RECORDS.glob("*/logs/*.log"))


def _diff(kernel: list[str], ours: list[str], name: str) -> str:
    return "\n".join(difflib.unified_diff(kernel, ours, f"kernel/{name}", f"kfcheck/{name}",
                                          lineterm=""))


@pytest.mark.parametrize("log", LOGS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_level2_log_is_the_kernels(log: Path) -> None:
    build = log.parent.parent.name
    (verdict,) = check(str(CORPUS / f"{log.stem}.bpf.o"), load_profile(name=build), 2)
    kernel, ours = normalize(log.read_text()), normalize(verdict.log)
    assert ours == kernel, _diff(kernel, ours, log.stem)


def test_logs_are_recorded() -> None:
    assert len(LOGS) >= 5


@pytest.mark.parametrize("log", LOGS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_recorded_log_is_the_running_kernels(log: Path) -> None:
    """The record still says what the running kernel logs (only on the recorded build)."""
    reason = available()
    if reason is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    record = running_record()
    if record is None:
        pytest.skip(no_record_reason())
    if record.directory != log.parent.parent:
        pytest.skip(f"recorded on {log.parent.parent.name}, running {record.release}")

    (live,) = check_file(str(CORPUS / f"{log.stem}.bpf.o"), log_level=2)
    recorded, now = normalize(log.read_text()), normalize(live.log)
    assert now == recorded, _diff(recorded, now, log.stem)


def test_level1_of_an_accept_is_the_summary() -> None:
    (verdict,) = check(str(CORPUS / "alu64_add_after_check_ok.bpf.o"), None, 1)
    assert verdict.log == ("processed 16 insns (limit 1000000) max_states_per_insn 0 "
                           "total_states 1 peak_states 1 mark_read 0\n")


def test_level1_of_a_reject_is_its_path() -> None:
    (verdict,) = check(str(CORPUS / "bounds_unchecked_index_bad.bpf.o"), None, 1)
    lines = verdict.log.splitlines()
    assert lines[0] == "0: R1=ctx() R10=fp0"
    assert lines[-3:-1] == ["11: (79) r6 = *(u64 *)(r0 +0)",
                            "R0 unbounded memory access, make sure to bounds check any such "
                            "access"]
    assert lines[-1].startswith("processed 11 insns ")
    assert not any(line.startswith("from ") for line in lines)


def test_level1_cuts_back_to_the_push_as_the_kernel() -> None:
    """A path taken up cuts the log where it was pushed, inside the branch's line."""
    (verdict,) = check(str(CORPUS / "helper_sk_lookup_leak_bad.bpf.o"), None, 1)
    if verdict.outcome.value != "reject":
        pytest.skip(verdict.error or "")
    assert any(line.startswith("14: (55) if r1 != 0x0 goto pc+1 16: R0=1 ")
               for line in verdict.log.splitlines())


def test_no_log_at_level_0() -> None:
    (verdict,) = check(str(CORPUS / "map_lookup_ok.bpf.o"), None, 0)
    assert verdict.log == ""


def test_check_prints_and_carries_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    obj = str(CORPUS / "map_lookup_ok.bpf.o")
    assert main(["check", obj, "--log-level", "2"]) == 0
    out = capsys.readouterr().out
    assert "--- " in out and "6: (85) call bpf_map_lookup_elem#1    ; R0=map_value(" in out
    assert main(["check", obj, "--log-level", "2", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["log"].startswith("0: R1=ctx() R10=fp0\n")
    assert main(["check", obj, "--json"]) == 0
    assert "log" not in json.loads(capsys.readouterr().out)[0]

"""The kernel oracle on the linker's test objects: verdicts, errors, no fds left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfcheck.cli import main
from kfcheck.kernel import syscall
from kfcheck.kernel.oracle import check_file
from kfcheck.link import Program, link_file
from kfcheck.verdict import Outcome

pytestmark = [pytest.mark.kernel, pytest.mark.usefixtures("bpf_fds_checked")]

PROGS = Path(__file__).parents[1] / "link" / "progs"
OBJECTS = sorted(str(p) for p in PROGS.glob("*.bpf.o"))

EXPECTED = {
    "first": (Outcome.ACCEPT, ""),
    "second": (Outcome.ACCEPT, ""),
    "bad_read": (Outcome.REJECT, "R0 invalid mem access 'map_value_or_null'"),
    "core_values": (Outcome.ACCEPT, ""),
    "kfunc_ok": (Outcome.ACCEPT, ""),
    "kfunc_leak": (Outcome.REJECT,
                   "BPF_EXIT instruction in main prog would lead to reference leak"),
    "ksym_var": (Outcome.REJECT,
                 "ldimm64 failed to find the address for kernel symbol 'bpf_prog_active'."),
}


def test_verdicts_of_several_objects_and_no_fd_leak() -> None:
    verdicts = [v for path in OBJECTS for v in check_file(path)]
    assert {v.program: (v.outcome, v.error) for v in verdicts} == EXPECTED
    for v in verdicts:
        assert v.processed_insns is not None and v.verification_time_us is not None
        assert v.file.endswith(".bpf.o") and v.section
    leak = next(v for v in verdicts if v.program == "kfunc_leak")
    lines = leak.log.splitlines()
    at = lines.index(leak.error)
    # the reference leak is reported in two lines after "8: (95) exit"; the last one counts
    assert lines[at - 2 : at] == ["8: (95) exit", "Unreleased reference id=2 alloc_insn=2"]
    assert leak.insn == 8


def test_program_btf_is_accepted_by_the_kernel() -> None:
    for path in OBJECTS:
        for prog in link_file(path):
            assert isinstance(prog, Program)
            syscall.close(syscall.btf_load(prog.btf))


def test_cli_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kernel", str(PROGS / "calls.bpf.o")]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["File", "Program", "Verdict", "Duration", "(us)", "Insns",
                                "States", "Error"]
    assert len(table) == 2 + 3 and "map_value_or_null" in table[-1]
    assert main(["kernel", "--json", str(PROGS / "calls.bpf.o")]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["program"], r["verdict"]) for r in rows] == [
        ("first", "accept"), ("second", "accept"), ("bad_read", "reject")]
    assert {"file", "program", "section", "verdict", "error", "insn", "processed_insns",
            "verification_time_us"} <= set(rows[0])

"""The kernel oracle on the linker's test objects: verdicts, errors, no fds left behind."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from kfcheck.btf import Btf, Kind
from kfcheck.cli import main
from kfcheck.commands.report import BTF_NOT_LOADED, format_table
from kfcheck.kernel import syscall
from kfcheck.kernel.oracle import check_file, load
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.link.kconfig import KernelFacts, kernel_version
from kfcheck.verdict import Outcome, Stage

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
    # With its BTF loaded, the global subprogram's argument may be NULL (libbpf agrees).
    "uint_only": (Outcome.REJECT, "R1 invalid mem access 'mem_or_null'"),
    # The weak kfunc with another prototype is unresolved; its guarded call is dead code.
    "weak_incompat": (Outcome.ACCEPT, ""),
    "core_match": (Outcome.ACCEPT, ""),
}


def test_verdicts_of_several_objects_and_no_fd_leak() -> None:
    verdicts = [v for path in OBJECTS for v in check_file(path)]
    assert {v.program: (v.outcome, v.error) for v in verdicts} == EXPECTED
    for v in verdicts:
        assert v.processed_insns is not None and v.verification_time_us is not None
        assert v.file.endswith(".bpf.o") and v.section
        assert v.btf_error is None, (v.program, v.btf_error)
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
            assert prog.btf is not None
            syscall.close(syscall.btf_load(prog.btf.to_bytes()))


def test_btf_load_failure_is_recorded_in_the_verdict() -> None:
    (prog,) = link_file(str(PROGS / "uint_only.bpf.o"))
    assert isinstance(prog, Program)
    assert prog.btf is not None
    # the kernel refuses a VAR whose name is not a C identifier (kfcheck's reader keeps it)
    types = [replace(t, name="not an identifier") if t.kind is Kind.VAR else t
             for t in prog.btf.types()]
    broken = replace(prog, btf=Btf.from_types(types, prog.btf.raw_strings))
    verdict = load(broken)
    assert verdict.btf_error is not None and verdict.btf_error.startswith("EINVAL")
    # without BTF, nothing tells the kernel the subprogram is global: it is accepted
    assert verdict.outcome is Outcome.ACCEPT
    assert verdict.to_json()["btf_error"] == verdict.btf_error
    text = format_table([verdict], with_log=True)
    assert f"{BTF_NOT_LOADED}: {verdict.btf_error}\n" in text
    assert load(prog).btf_error is None and load(prog).to_json()["btf_error"] is None


def test_cli_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kernel", str(PROGS / "calls.bpf.o")]) == 1  # bad_read is rejected
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["File", "Program", "Verdict", "Duration", "(us)", "Insns",
                                "States", "Error"]
    assert len(table) == 2 + 3 and "map_value_or_null" in table[-1]
    assert main(["kernel", "--json", str(PROGS / "calls.bpf.o")]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [(r["program"], r["verdict"]) for r in rows] == [
        ("first", "accept"), ("second", "accept"), ("bad_read", "reject")]
    assert {"file", "program", "section", "verdict", "error", "insn", "processed_insns",
            "verification_time_us"} <= set(rows[0])



def test_link_failure_is_not_a_kernel_reject() -> None:
    target = KernelTarget.running()
    no_config = KernelTarget(target.btf, KernelFacts({}, kernel_version(os.uname().release)))
    verdicts = {v.program: v for v in check_file(str(PROGS / "kfuncs.bpf.o"), no_config)}
    failed = verdicts["kfunc_ok"]  # needs CONFIG_BPF_SYSCALL, which is not set here
    assert (failed.outcome, failed.stage, failed.processed_insns) == (Outcome.REJECT,
                                                                      Stage.LINK, None)
    assert "CONFIG_BPF_SYSCALL" in failed.error and failed.to_json()["stage"] == "link"
    leak = verdicts["kfunc_leak"]
    assert (leak.outcome, leak.stage, leak.to_json()["stage"]) == (Outcome.REJECT,
                                                                  Stage.KERNEL, "kernel")


def test_oracle_creates_maps_on_their_numa_node() -> None:
    (prog,) = link_file(str(PROGS / "uint_only.bpf.o"))
    assert isinstance(prog, Program)
    (bss,) = prog.maps
    on_node = replace(bss, map_flags=bss.map_flags | (1 << 2), numa_node=4095)  # no such node
    verdict = load(replace(prog, maps=(on_node,)))
    assert (verdict.outcome, verdict.error, verdict.stage) == (Outcome.REJECT,
                                                               "map create: EINVAL",
                                                               Stage.KERNEL)

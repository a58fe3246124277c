"""``kfcheck check OBJ...``: the offline verdict of every program of every object, as a table
or as ``kfcheck kernel --json``'s rows; exit 0 if all accepted, 1 if one was rejected, 2 on a
bad file, which gets its own row without hiding the other files' verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from builds import REFERENCE

from kfcheck.cli import main
from kfcheck.kernel.syscall import available

PROGS = Path(__file__).parent / "progs"
MULTI = PROGS / "multi.bpf.o"
CORPUS = Path(__file__).parent.parent / "corpus"
ACCEPTED = CORPUS / "alu64_sub_checked_ok.bpf.o"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, _ = run(capsys, *args, "--json")
    return code, json.loads(out)


def test_every_program_of_an_object_gets_its_own_verdict(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, got = rows(capsys, "check", str(MULTI))
    verdicts = {r["program"]: (r["verdict"], r["stage"], r["error"]) for r in got}
    assert [r["program"] for r in got] == ["count_packets", "unchecked_value",
                                           "missing_kfunc", "pass_all"]
    assert verdicts["count_packets"] == ("accept", "verifier", "")
    # An array map looked up with a constant in-range key cannot return NULL (6.18).
    assert verdicts["unchecked_value"] == ("accept", "verifier", "")
    # A program that cannot be linked is refused as libbpf refuses it; the others still run.
    assert verdicts["missing_kfunc"][:2] == ("reject", "link")
    assert verdicts["pass_all"] == ("accept", "verifier", "")
    assert code == 1
    assert {r["kernel"] for r in got} == {REFERENCE}


def test_exit_codes_and_bad_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", str(ACCEPTED))
    assert code == 0 and " accept " in out
    bad = tmp_path / "bad.bpf.o"
    bad.write_bytes(b"\x7fELF" + b"\0" * 20)
    code, got = rows(capsys, "check", str(ACCEPTED), str(bad))
    assert code == 2
    assert [(r["file"], r["verdict"]) for r in got] == [(str(ACCEPTED), "accept"),
                                                        (str(bad), "error")]
    code, out, err = run(capsys, "check", str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"kfcheck: {bad}: ") and len(err.splitlines()) == 1


def test_reject_row_names_the_error_and_instruction(capsys: pytest.CaptureFixture[str]) -> None:
    code, got = rows(capsys, "check", str(CORPUS / "alu_neg_index_bad.bpf.o"))
    assert code == 1
    (row,) = got
    assert row["verdict"] == "reject" and row["errno"] == "EACCES"
    assert row["error"].startswith("R0 min value is negative")
    assert row["insn"] == 13 and row["processed_insns"] > 0


def test_profile_option_names_the_build(capsys: pytest.CaptureFixture[str]) -> None:
    other = "6.18.44-fc-v1272"
    _, got = rows(capsys, "check", "--profile", other, str(ACCEPTED))
    assert got[0]["kernel"] == other


def test_same_shape_as_the_kernel_oracle(capsys: pytest.CaptureFixture[str]) -> None:
    """``kfcheck kernel --json`` and ``kfcheck check --json`` rows have the same fields and
    the same programs, so they compare directly (needs the kernel)."""
    reason = available()
    if reason is not None:
        pytest.skip(f"kernel oracle unavailable: {reason}")
    _, kernel = rows(capsys, "kernel", str(MULTI))
    _, offline = rows(capsys, "check", str(MULTI))
    assert [r.keys() for r in kernel] == [r.keys() for r in offline]
    assert [(r["program"], r["section"]) for r in kernel] == \
        [(r["program"], r["section"]) for r in offline]


def test_library_entry_point_is_the_offline_check() -> None:
    """``kfcheck.check(path, profile=...)``: the library call the command wraps."""
    import kfcheck

    leaky = Path(__file__).parents[2] / "examples" / "task_leak.bpf.o"
    verdicts = kfcheck.check(str(leaky), profile="6.18.44-fc-v1272")
    assert [(v.build and v.build.release, v.program, v.outcome.value, v.error)
            for v in verdicts] == [
        ("6.18.44-fc-v1272", "count_children_leaky", "reject",
         "BPF_EXIT instruction in main prog would lead to reference leak")]

"""``kfcheck obj OBJ...`` and ``kfcheck disasm OBJ...``: each file after a ``FILE:`` line, a
bad one as ``FILE: error: PROBLEM``; the others are still written; exit 2 if one was bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfcheck.cli import main
from kfcheck.commands.disasm import disassemble_object
from kfcheck.commands.obj import describe_object
from kfcheck.errors import KfcheckError
from kfcheck.obj import read_object

PROGS = Path(__file__).parent / "progs"
MAPS = PROGS / "maps.bpf.o"
CALLS = PROGS / "calls.bpf.o"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def problem(path: Path) -> str:
    with pytest.raises(KfcheckError) as info:
        read_object(str(path))
    return info.value.problem


@pytest.fixture
def truncated(tmp_path: Path) -> Path:
    bad = tmp_path / "truncated.bpf.o"
    bad.write_bytes(CALLS.read_bytes()[:300])
    return bad


def test_obj_good_bad_good(capsys: pytest.CaptureFixture[str], truncated: Path) -> None:
    code, out, err = run(capsys, "obj", str(MAPS), str(truncated), str(CALLS))
    assert (code, err) == (2, "")
    assert out == (f"{MAPS}:\n{describe_object(str(MAPS))}\n"
                   f"{truncated}: error: {problem(truncated)}\n\n"
                   f"{CALLS}:\n{describe_object(str(CALLS))}")


def test_obj_all_good_and_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "obj", str(MAPS), str(CALLS))
    assert code == 0 and out.count("\nprograms (") == 2
    missing = tmp_path / "missing.o"
    code, out, err = run(capsys, "obj", str(missing), str(CALLS))
    assert (code, err) == (2, "")
    assert out.startswith(f"{missing}: error: no such file\n\n{CALLS}:\nobject calls: ")


def test_obj_single_file_unchanged(capsys: pytest.CaptureFixture[str], truncated: Path) -> None:
    assert run(capsys, "obj", str(MAPS)) == (0, describe_object(str(MAPS)), "")
    assert run(capsys, "obj", str(truncated)) == (
        2, "", f"kfcheck: {truncated}: {problem(truncated)}\n")


def test_disasm_raw_good_bad_good(capsys: pytest.CaptureFixture[str], truncated: Path) -> None:
    code, out, err = run(capsys, "disasm", "--raw", str(MAPS), str(truncated), str(CALLS))
    assert (code, err) == (2, "")
    assert out == (f"{MAPS}:\n{disassemble_object(str(MAPS), raw=True)}\n"
                   f"{truncated}: error: {problem(truncated)}\n\n"
                   f"{CALLS}:\n{disassemble_object(str(CALLS), raw=True)}")


def test_disasm_linked_good_bad(capsys: pytest.CaptureFixture[str], truncated: Path) -> None:
    code, out, _ = run(capsys, "disasm", str(CALLS), str(truncated))
    assert code == 2
    listing, error = out.split("\n\n" + str(truncated))
    assert listing.startswith(f"{CALLS}:\nxdp/") and "(95) exit" in listing
    assert error == f": error: {problem(truncated)}\n"


def test_disasm_missing_program_is_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    only = "use_maps"  # a program of maps.bpf.o, not of calls.bpf.o
    code, out, _ = run(capsys, "disasm", "--raw", "--program", only, str(MAPS), str(CALLS))
    assert code == 2
    assert out.endswith(f"\n{CALLS}: error: no program or subprogram named '{only}'\n")


def test_disasm_bad_kernel_btf_ends_the_run(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    bad = tmp_path / "vmlinux"
    bad.write_bytes(b"not btf")
    code, out, err = run(capsys, "disasm", "--kernel-btf", str(bad), str(MAPS), str(CALLS))
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].startswith(f"kfcheck: {bad}: ")

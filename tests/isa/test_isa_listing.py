"""``kfcheck disasm``: object listings with source comments, and the command's error paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfcheck.btf.ext import LineInfo
from kfcheck.cli import main
from kfcheck.commands.disasm import disassemble_object, source_comment

PROGS = Path(__file__).with_name("progs")


def _info(line: int, source: str, file_off: int = 1, name: str = "./dir/x.bpf.c") -> LineInfo:
    return LineInfo(0, file_off, 0, line << 10 | 5, name, source)


def test_source_comment_format() -> None:
    assert source_comment(_info(7, "\t  return 0;")) == "; return 0; @ x.bpf.c:7"


def test_same_line_other_column_not_repeated() -> None:
    first = _info(7, "a = b;")
    assert source_comment(_info(7, "a = b;"), first) is None
    assert source_comment(_info(8, "c;"), first) == "; c; @ x.bpf.c:8"
    assert source_comment(_info(7, "a = b;", file_off=9), first) is not None


def test_listing_of_kfunc_object() -> None:
    text = disassemble_object(str(PROGS / "kfuncs.bpf.o"), raw=True)
    lines = text.splitlines()
    assert lines[0] == ("tp_btf/sched_switch/kfunc_calls: prog_type tracing, "
                        "attach sched_switch, 12 insns")
    assert "; bpf_rcu_read_lock(); @ kfuncs.bpf.c:14" in lines
    assert "1: (85) call pc-1  <kfunc bpf_rcu_read_lock>" in lines
    assert "8: (18) r1 = 0x0  <ksym_var bpf_prog_active>" in lines
    assert lines[-1] == "11: (95) exit"


def test_listing_has_subprograms_and_filter() -> None:
    text = disassemble_object(str(PROGS / "subprogs.bpf.o"), raw=True)
    headers = [line for line in text.splitlines() if ": " in line and "insns" in line]
    assert headers == ["socket/calls: prog_type socket_filter, 18 insns",
                       ".text/global_fn: subprogram, 3 insns",
                       ".text/twice: subprogram, 6 insns",
                       ".text/mix: subprogram, 6 insns"]
    for raw in (True, False):  # a subprogram is listed raw in either view
        only = disassemble_object(str(PROGS / "subprogs.bpf.o"), "mix", raw=raw)
        assert only.startswith(".text/mix: subprogram, 6 insns\n")


def test_cli_disasm(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disasm", "--raw", str(PROGS / "alu32.bpf.o")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("socket/alu32_ops: prog_type socket_filter")
    assert "(95) exit" in out


@pytest.mark.parametrize(("args", "problem"), [
    (["/nonexistent.o"], "no such file"),
    ([str(PROGS / "isa.h")], "not an ELF file"),
    ([str(PROGS / "alu32.bpf.o"), "--program", "nope"], "no program or subprogram named 'nope'"),
])
def test_cli_disasm_errors(args: list[str], problem: str,
                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disasm", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kfcheck: ") and err.rstrip().endswith(problem)
    assert "Traceback" not in err


def test_cli_disasm_bad_instructions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray((PROGS / "alu32.bpf.o").read_bytes())
    # Corrupt the program's first opcode (its first call, 0x85).
    where = data.index(bytes.fromhex("8500000007000000"))
    data[where] = 0x8C
    bad = tmp_path / "bad.bpf.o"
    bad.write_bytes(bytes(data))
    for raw in ([], ["--raw"]):
        assert main(["disasm", *raw, str(bad)]) == 2
        err = capsys.readouterr().err
        assert err == f"kfcheck: {bad}: socket/alu32_ops: insn 0: unknown opcode 0x8c\n"

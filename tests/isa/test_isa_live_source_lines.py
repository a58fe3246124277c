"""``kfcheck disasm`` source comments against the kernel's own (live), for straight-line code.

The objects' BTF is loaded with each DATASEC given its section's size (the one fix-up the
kernel needs for these programs; the linker will own it), func_info and line_info are made
relative to the program, and the verifier's main pass is compared line for line with our
listing. Only branch-free programs: the verifier walks them in order, so its log has the
listing's order.
"""

from __future__ import annotations

import dataclasses
import re
import struct
from pathlib import Path

import pytest

from kfcheck.btf.encode import encode_btf
from kfcheck.btf.types import Kind
from kfcheck.commands.disasm import function_listing
from kfcheck.isa import Op, decode
from kfcheck.kernel.syscall import available, btf_load, close, prog_load
from kfcheck.obj import BpfObject, Program, read_object

pytestmark = pytest.mark.kernel

PROGS = Path(__file__).with_name("progs")
_MAIN_LINE = re.compile(r"^(\d+: \([0-9a-f]{2}\) .*?)(?:\s+;.*)?$")
_BRANCHES = {Op.JA, Op.GOTOL, Op.MAY_GOTO, Op.CALL_SUBPROG, Op.CALL_KFUNC, Op.JEQ, Op.JNE,
             Op.JGT, Op.JGE, Op.JLT, Op.JLE, Op.JSGT, Op.JSGE, Op.JSLT, Op.JSLE, Op.JSET}


def _straight(obj: BpfObject) -> list[Program]:
    return [p for p in obj.programs
            if not p.relocations and not {i.op for i in decode(p.insns)} & _BRANCHES]


STRAIGHT = [(path, prog.name) for path in sorted(PROGS.glob("*.bpf.o"))
            for prog in _straight(read_object(str(path)))]


def _btf_fd(obj: BpfObject) -> int:
    assert obj.btf is not None
    types = [dataclasses.replace(t, size=sec.size)
             if t.kind == Kind.DATASEC and (sec := obj.section(t.name)) is not None else t
             for t in obj.btf.types()]
    return btf_load(encode_btf(types, strings=obj.btf.raw_strings))


def _records(obj: BpfObject, prog: Program) -> tuple[bytes, bytes]:
    assert obj.btf_ext is not None
    end = prog.offset + len(prog.insns)
    funcs = b"".join(struct.pack("<II", (f.insn_off - prog.offset) // 8, f.type_id)
                     for f in obj.btf_ext.func_info[prog.section]
                     if prog.offset <= f.insn_off < end)
    lines = b"".join(struct.pack("<IIII", (li.insn_off - prog.offset) // 8, li.file_name_off,
                                 li.line_off, li.line_col)
                     for li in obj.btf_ext.line_info[prog.section]
                     if prog.offset <= li.insn_off < end)
    return funcs, lines


def test_some_programs_are_straight() -> None:
    assert len(STRAIGHT) >= 4


@pytest.mark.parametrize(("path", "name"), STRAIGHT, ids=[p.name for p, _ in STRAIGHT])
def test_listing_matches_verifier_log(path: Path, name: str) -> None:
    reason = available()
    if reason:
        pytest.skip(f"kernel bpf() unavailable: {reason}")
    obj = read_object(str(path))
    prog = obj.program(name)
    assert prog is not None
    funcs, lines = _records(obj, prog)
    fd = _btf_fd(obj)
    try:
        result = prog_load(prog.insns, prog.prog_type, prog_btf_fd=fd, func_info=funcs,
                           line_info=lines, log_level=2)
    finally:
        close(fd)
    assert result.ok, result.log[-500:]
    kernel = [m[1] if (m := _MAIN_LINE.match(text)) else text
              for text in result.log.splitlines()
              if text.startswith("; ") or _MAIN_LINE.match(text)]
    assert kernel == list(function_listing(obj, prog).lines)

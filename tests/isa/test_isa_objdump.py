"""Decoded instructions against ``llvm-objdump-19 -d`` for the compiled programs in progs/.

objdump's text is parsed back into fields (operation, registers, offset, immediate, access
size) and compared, instruction for instruction, with what ``decode`` made of the ELF text
sections (read here with pyelftools). Immediates are compared unrelocated, as objdump shows
them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from kfcheck.isa import Insn, Op, decode

OBJDUMP = "llvm-objdump-19"
PROGS = Path(__file__).with_name("progs")
OBJECTS = sorted(PROGS.glob("*.bpf.o"))

pytestmark = pytest.mark.skipif(shutil.which(OBJDUMP) is None, reason=f"{OBJDUMP} not installed")

Fields = dict[str, object]

_NUM = r"-?0x[0-9a-f]+"
_REG = r"[rw](\d+)"
_MEM = r"r(\d+) ([+-]) (0x[0-9a-f]+)"
_ALU_TEXT = {
    "=": Op.MOV, "+=": Op.ADD, "-=": Op.SUB, "*=": Op.MUL, "/=": Op.DIV, "s/=": Op.SDIV,
    "%=": Op.MOD, "s%=": Op.SMOD, "|=": Op.OR, "&=": Op.AND, "^=": Op.XOR, "<<=": Op.LSH,
    ">>=": Op.RSH, "s>>=": Op.ARSH,
}
_JMP_TEXT = {
    "==": Op.JEQ, "!=": Op.JNE, ">": Op.JGT, ">=": Op.JGE, "<": Op.JLT, "<=": Op.JLE,
    "s>": Op.JSGT, "s>=": Op.JSGE, "s<": Op.JSLT, "s<=": Op.JSLE, "&": Op.JSET,
}
_LOCK_TEXT = {"+=": Op.ATOMIC_ADD, "&=": Op.ATOMIC_AND, "|=": Op.ATOMIC_OR,
              "^=": Op.ATOMIC_XOR}
_FETCH_TEXT = {"add": Op.ATOMIC_FETCH_ADD, "and": Op.ATOMIC_FETCH_AND,
               "or": Op.ATOMIC_FETCH_OR, "xor": Op.ATOMIC_FETCH_XOR}
_SIZES = {"8": 1, "16": 2, "32": 4, "64": 8}
_END_TEXT = {"be": Op.END_BE, "le": Op.END_LE, "bswap": Op.BSWAP}


def _num(text: str) -> int:
    return int(text, 16)


def _off(sign: str, text: str) -> int:
    return -_num(text) if sign == "-" else _num(text)


Builder = Callable[[re.Match[str]], Fields]
# (pattern, builder) in order; the first match wins.
_PATTERNS: list[tuple[re.Pattern[str], Builder]] = []


def pattern(regex: str) -> Callable[[Builder], Builder]:
    """Register a builder for the instructions whose text fully matches ``regex``."""
    def register(build: Builder) -> Builder:
        _PATTERNS.append((re.compile(regex + r"$"), build))
        return build
    return register


@pattern(rf"{_REG} = ({_NUM}) ll")
def _ld_imm64(m: re.Match[str]) -> Fields:
    return {"op": Op.LD_IMM64, "dst": int(m[1]), "imm64": _num(m[2]) % (1 << 64)}


@pattern(rf"r0 = \*\(u(8|16|32) \*\)skb\[({_NUM})\]")
def _ld_abs(m: re.Match[str]) -> Fields:
    return {"op": Op.LD_ABS, "size": _SIZES[m[1]], "imm": _num(m[2])}


@pattern(r"r0 = \*\(u(8|16|32) \*\)skb\[r(\d+)\]")
def _ld_ind(m: re.Match[str]) -> Fields:
    return {"op": Op.LD_IND, "size": _SIZES[m[1]], "src": int(m[2])}


@pattern(rf"{_REG} = \*\(([us])(8|16|32|64) \*\)\({_MEM}\)")
def _ldx(m: re.Match[str]) -> Fields:
    return {"op": Op.LDSX if m[2] == "s" else Op.LDX, "size": _SIZES[m[3]], "dst": int(m[1]),
            "src": int(m[4]), "off": _off(m[5], m[6])}


@pattern(rf"\*\(u(8|16|32|64) \*\)\({_MEM}\) = {_REG}")
def _stx(m: re.Match[str]) -> Fields:
    return {"op": Op.STX, "size": _SIZES[m[1]], "dst": int(m[2]), "off": _off(m[3], m[4]),
            "src": int(m[5])}


@pattern(rf"\*\(u(8|16|32|64) \*\)\({_MEM}\) = ({_NUM})")
def _st(m: re.Match[str]) -> Fields:
    return {"op": Op.ST, "size": _SIZES[m[1]], "dst": int(m[2]), "off": _off(m[3], m[4]),
            "imm": _num(m[5])}


@pattern(rf"lock \*\(u(32|64) \*\)\({_MEM}\) (\+=|&=|\|=|\^=) {_REG}")
def _lock(m: re.Match[str]) -> Fields:
    return {"op": _LOCK_TEXT[m[5]], "size": _SIZES[m[1]], "dst": int(m[2]),
            "off": _off(m[3], m[4]), "src": int(m[6])}


@pattern(rf"{_REG} = atomic_fetch_(add|and|or|xor)\(\(u(32|64) \*\)\({_MEM}\), {_REG}\)")
def _fetch(m: re.Match[str]) -> Fields:
    assert m[1] == m[7]
    return {"op": _FETCH_TEXT[m[2]], "size": _SIZES[m[3]], "dst": int(m[4]),
            "off": _off(m[5], m[6]), "src": int(m[7])}


@pattern(rf"{_REG} = xchg(?:32)?_(32|64)\({_MEM}, {_REG}\)")
def _xchg(m: re.Match[str]) -> Fields:
    assert m[1] == m[6]
    return {"op": Op.ATOMIC_XCHG, "size": _SIZES[m[2]], "dst": int(m[3]),
            "off": _off(m[4], m[5]), "src": int(m[6])}


@pattern(rf"[rw]0 = cmpxchg(?:32)?_(32|64)\({_MEM}, [rw]0, {_REG}\)")
def _cmpxchg(m: re.Match[str]) -> Fields:
    return {"op": Op.ATOMIC_CMPXCHG, "size": _SIZES[m[1]], "dst": int(m[2]),
            "off": _off(m[3], m[4]), "src": int(m[5])}


@pattern(rf"r(\d+) = addr_space_cast\(r(\d+), ({_NUM}), ({_NUM})\)")
def _cast(m: re.Match[str]) -> Fields:
    return {"op": Op.ADDR_SPACE_CAST, "dst": int(m[1]), "src": int(m[2]),
            "imm": (_num(m[3]) << 16) | _num(m[4])}


@pattern(r"r(\d+) = (be|le|bswap)(16|32|64) r(\d+)")
def _end(m: re.Match[str]) -> Fields:
    assert m[1] == m[4]
    return {"op": _END_TEXT[m[2]], "dst": int(m[1]), "imm": int(m[3])}


@pattern(r"([rw])(\d+) = -([rw])(\d+)")
def _neg(m: re.Match[str]) -> Fields:
    assert m[2] == m[4]
    return {"op": Op.NEG, "dst": int(m[2]), "w32": m[1] == "w"}


@pattern(r"([rw])(\d+) = \(s(8|16|32)\)[rw](\d+)")
def _movsx(m: re.Match[str]) -> Fields:
    return {"op": Op.MOVSX, "dst": int(m[2]), "src": int(m[4]), "off": int(m[3]),
            "w32": m[1] == "w"}


@pattern(r"([rw])(\d+) (=|\+=|-=|\*=|/=|s/=|%=|s%=|\|=|&=|\^=|<<=|>>=|s>>=) [rw](\d+)")
def _alu_reg(m: re.Match[str]) -> Fields:
    return {"op": _ALU_TEXT[m[3]], "dst": int(m[2]), "src": int(m[4]), "w32": m[1] == "w"}


@pattern(rf"([rw])(\d+) (=|\+=|-=|\*=|/=|s/=|%=|s%=|\|=|&=|\^=|<<=|>>=|s>>=) ({_NUM})")
def _alu_imm(m: re.Match[str]) -> Fields:
    return {"op": _ALU_TEXT[m[3]], "dst": int(m[2]), "imm": _num(m[4]), "w32": m[1] == "w"}


@pattern(r"if ([rw])(\d+) (==|!=|>|>=|<|<=|s>|s>=|s<|s<=|&) [rw](\d+) goto ([+-]?0x[0-9a-f]+)")
def _jmp_reg(m: re.Match[str]) -> Fields:
    return {"op": _JMP_TEXT[m[3]], "dst": int(m[2]), "src": int(m[4]), "off": _num(m[5]),
            "w32": m[1] == "w"}


@pattern(rf"if ([rw])(\d+) (==|!=|>|>=|<|<=|s>|s>=|s<|s<=|&) ({_NUM}) goto ([+-]?0x[0-9a-f]+)")
def _jmp_imm(m: re.Match[str]) -> Fields:
    return {"op": _JMP_TEXT[m[3]], "dst": int(m[2]), "imm": _num(m[4]), "off": _num(m[5]),
            "w32": m[1] == "w"}


@pattern(r"goto ([+-]?0x[0-9a-f]+)")
def _ja(m: re.Match[str]) -> Fields:
    return {"op": Op.JA, "off": _num(m[1])}


@pattern(r"gotol ([+-]?0x[0-9a-f]+)")
def _gotol(m: re.Match[str]) -> Fields:
    return {"op": Op.GOTOL, "imm": _num(m[1])}


@pattern(r"may_goto ([+-]?0x[0-9a-f]+)")
def _may_goto(m: re.Match[str]) -> Fields:
    return {"op": Op.MAY_GOTO, "off": _num(m[1])}


@pattern(rf"call ({_NUM})")
def _call(m: re.Match[str]) -> Fields:
    return {"op": "call", "imm": _num(m[1])}


@pattern(r"exit")
def _exit(m: re.Match[str]) -> Fields:
    return {"op": Op.EXIT}


def parse_llvm(text: str) -> Fields:
    """Fields of one instruction from LLVM's BPF assembly syntax."""
    text = re.sub(r" <[^<>]*>$", "", text.strip())
    for regex, build in _PATTERNS:
        m = regex.match(text)
        if m:
            return build(m)
    raise AssertionError(f"unparsed objdump text: {text!r}")


_SHOWN: dict[Op, tuple[str, ...]] = {
    Op.LD_IMM64: ("dst", "imm64"), Op.LD_ABS: ("size", "imm"), Op.LD_IND: ("size", "src"),
    Op.LDX: ("size", "dst", "src", "off"), Op.LDSX: ("size", "dst", "src", "off"),
    Op.STX: ("size", "dst", "off", "src"), Op.ST: ("size", "dst", "off", "imm"),
    Op.ADDR_SPACE_CAST: ("dst", "src", "imm"), Op.END_BE: ("dst", "imm"),
    Op.END_LE: ("dst", "imm"), Op.BSWAP: ("dst", "imm"), Op.NEG: ("dst", "w32"),
    Op.MOVSX: ("dst", "src", "off", "w32"), Op.JA: ("off",), Op.GOTOL: ("imm",),
    Op.MAY_GOTO: ("off",), Op.EXIT: (),
}
_ATOMIC = ("size", "dst", "off", "src")


def fields_of(insn: Insn) -> Fields:
    """The fields objdump shows for this instruction, from our decoding."""
    values: dict[str, object] = {
        "dst": insn.dst, "src": insn.src, "off": insn.off, "imm": insn.imm, "imm64": insn.imm64,
        "size": insn.size.nbytes if insn.size is not None else None, "w32": insn.is_32bit,
    }
    op = insn.op
    if op in (Op.CALL_HELPER, Op.CALL_SUBPROG, Op.CALL_KFUNC):
        return {"op": "call", "imm": insn.imm}
    if insn.atomic_op is not None:
        shown: tuple[str, ...] = _ATOMIC
    elif op in _SHOWN:
        shown = _SHOWN[op]
    elif insn.cls.name.startswith("JMP"):
        shown = ("dst", "src" if insn.uses_reg_source else "imm", "off", "w32")
    else:
        shown = ("dst", "src" if insn.uses_reg_source else "imm", "w32")
    return {"op": op, **{k: values[k] for k in shown}}


def _normalise(fields: Fields) -> Fields:
    """Immediates as unsigned 32-bit (objdump prints some signed, some not)."""
    out = dict(fields)
    imm = out.get("imm")
    if isinstance(imm, int):
        out["imm"] = imm & 0xFFFFFFFF
    return out


def objdump(path: Path) -> dict[str, list[tuple[int, bytes, str]]]:
    """Section name → (index, raw bytes, text) for every instruction objdump printed."""
    out = subprocess.run([OBJDUMP, "-d", "--mattr=+alu32", str(path)], check=True,
                         capture_output=True, text=True).stdout
    sections: dict[str, list[tuple[int, bytes, str]]] = {}
    current: list[tuple[int, bytes, str]] = []
    for line in out.splitlines():
        if line.startswith("Disassembly of section "):
            current = sections.setdefault(line[len("Disassembly of section "):-1], [])
        elif m := re.match(r"^\s*(\d+):\t([0-9a-f ]+)\t(.*)$", line):
            current.append((int(m[1]), bytes.fromhex(m[2]), m[3]))
    return sections


def text_sections(path: Path) -> dict[str, bytes]:
    """Executable sections of an ELF object: name → contents."""
    with path.open("rb") as stream:
        elf = ELFFile(stream)
        return {s.name: s.data() for s in elf.iter_sections()
                if s["sh_flags"] & SH_FLAGS.SHF_EXECINSTR and s.data_size}


def test_enough_programs() -> None:
    assert len(OBJECTS) >= 20
    sources = sorted(PROGS.glob("*.bpf.c"))
    assert [p.name.removesuffix(".c") for p in sources] == [
        p.name.removesuffix(".o") for p in OBJECTS]


@pytest.mark.parametrize("obj", OBJECTS, ids=[p.name for p in OBJECTS])
def test_matches_objdump(obj: Path) -> None:
    dumped = objdump(obj)
    sections = text_sections(obj)
    assert set(dumped) == set(sections)
    for name, data in sections.items():
        ours = decode(data)
        theirs = dumped[name]
        assert [i.index for i in ours] == [idx for idx, _, _ in theirs], name
        for insn, (_, raw, text) in zip(ours, theirs, strict=True):
            assert insn.raw == raw, (name, insn.index)
            expected = _normalise(parse_llvm(text))
            assert _normalise(fields_of(insn)) == expected, (name, insn.index, text)


def test_objects_cover_instruction_kinds() -> None:
    """Together the programs exercise the instruction classes the brief asks for."""
    seen: set[Op] = set()
    for obj in OBJECTS:
        for data in text_sections(obj).values():
            seen.update(i.op for i in decode(data))
    wanted = {Op.MOVSX, Op.SDIV, Op.SMOD, Op.BSWAP, Op.END_BE, Op.LDSX, Op.ST, Op.STX, Op.LDX,
              Op.ATOMIC_ADD, Op.ATOMIC_FETCH_ADD, Op.ATOMIC_XCHG, Op.ATOMIC_CMPXCHG,
              Op.LD_ABS, Op.LD_IND, Op.LD_IMM64, Op.MAY_GOTO, Op.ADDR_SPACE_CAST, Op.NEG,
              Op.JA, Op.JSGT, Op.JSET, Op.CALL_HELPER, Op.CALL_SUBPROG, Op.EXIT}
    assert wanted - seen == set()

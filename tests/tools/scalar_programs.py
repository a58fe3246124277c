"""Straight-line scalar programs, run both through the scalar domain and the running kernel.

A program is a list of steps on the callee-saved registers r6..r9 (helper calls keep them):

- ``("init", reg, kind, value)``: ``unknown`` (``call bpf_get_prandom_u32; rX = r0``), ``u32``
  (``...; wX = w0``) or ``const`` (``rX = imm`` or ``rX = imm64 ll``);
- ``("alu", op, alu64, dst, src, signed)``: ``src`` an int register number (6..9) or
  ``("imm", k)``; ``signed`` selects sdiv/smod;
- ``("neg", alu64, dst)``, ``("end", bits, kind, dst)`` (kind ``bswap``, ``be`` or ``le``),
  ``("movsx", alu64, bits, dst)`` (``rX = (sN)rX``), ``("mov32", dst)`` (``wX = wX``);
- ``("jmp", op, jmp32, dst, src)``: ``if dst op src goto`` an ``r0 = 0; exit`` of its own.

Registers are never copied into one another, so the kernel never links two of them (its
``id``-based propagation is not the domain's business). ``expected`` runs the domain and returns,
per step, what the kernel's log level 2 should print: the registers after the instruction on the
first path (``main``), the full state where a jump or an AND/OR fork queues a branch
(``queued``), or the invariant violation that ends the program. ``kernel_states`` loads the
program into the running kernel and reads the same from its log.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from kfcheck.isa import asm
from kfcheck.isa.opcodes import AluOp, JmpOp
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.scalar import Scalar

Step = tuple[Any, ...]
REGS = (6, 7, 8, 9)
SOCKET_FILTER = 1
PRANDOM = 7


@dataclass
class Expect:
    """What the log should show: per step index, the printed registers; the invariant
    violations reported (``verifier bug: ...`` lines, not fatal in 6.18) on the first path."""

    main: dict[int, dict[int, str]] = field(default_factory=dict)
    queued: dict[int, dict[int, str]] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    steps: int = 0  # steps reached on the first path


def _src(step_src: Any) -> Scalar | int:
    if isinstance(step_src, tuple):
        return Scalar.imm(step_src[1])
    return int(step_src)


def _imm64(value: int) -> bool:
    return not -(1 << 31) <= value < (1 << 31)


def expected(prog: list[Step]) -> Expect:
    """The domain's account of ``prog``."""
    regs: dict[int, Scalar] = {}
    out = Expect()
    for i, step in enumerate(prog):
        kind = step[0]
        out.steps = i + 1
        if kind == "init":
            _, reg, what, value = step
            if what == "unknown":
                regs[reg] = Scalar.unknown()
            elif what == "u32":
                regs[reg] = sc.mov(Scalar.unknown(), alu64=False)
            else:
                regs[reg] = Scalar.const(value)
            out.main[i] = {reg: regs[reg].log_text()}
            continue
        if kind == "alu":
            _, op, alu64, dst, src, _signed = step
            s = _src(src)
            sval = regs[s] if isinstance(s, int) else s
            d = regs[dst]
            if op in (AluOp.AND, AluOp.OR) and sval.is_const():
                split = sc.split_neg1_zero(d)
                if split is not None:
                    d, zero = split
                    queued = dict(regs)
                    queued[dst] = zero
                    out.queued[i] = {r: v.log_text() for r, v in queued.items()}
            res = sc.alu(op, d, sval, alu64)
            regs[dst] = res
            shown = {dst: res.log_text()}
            if isinstance(s, int):
                shown[s] = regs[s].log_text()
            out.main[i] = shown
        elif kind == "neg":
            _, alu64, dst = step
            regs[dst] = sc.neg(regs[dst], alu64)
            out.main[i] = {dst: regs[dst].log_text()}
        elif kind == "end":
            _, bits, how, dst = step
            regs[dst] = sc.bswap(regs[dst], bits, alu64=how == "bswap", to_be=how == "be")
            out.main[i] = {dst: regs[dst].log_text()}
        elif kind == "movsx":
            _, alu64, bits, dst = step
            regs[dst] = sc.movsx(regs[dst], bits, alu64)
            out.main[i] = {dst: regs[dst].log_text()}
        elif kind == "mov32":
            _, dst = step
            regs[dst] = sc.mov(regs[dst], alu64=False)
            out.main[i] = {dst: regs[dst].log_text()}
        elif kind == "jmp":
            _, op, jmp32, dst, src = step
            s = _src(src)
            same = isinstance(s, int) and s == dst
            b = regs[s] if isinstance(s, int) else s
            a = regs[dst]
            pred = sc.branch_taken(op, a, b, jmp32)
            shown_regs = [dst] + ([s] if isinstance(s, int) and not same else [])
            if pred is None:
                if same:
                    t1, f1 = sc.refine_same(op, a, jmp32)
                    t1 = _checked(out, t1, "true_reg1")
                    t1 = t2 = _checked(out, t1, "true_reg2")
                    f1 = _checked(out, f1, "false_reg1")
                    f1 = f2 = _checked(out, f1, "false_reg2")
                else:
                    t1, t2, f1, f2 = sc.refine(op, a, b, jmp32)
                    t1 = _checked(out, t1, "true_reg1")
                    t2 = _checked(out, t2, "true_reg2")
                    f1 = _checked(out, f1, "false_reg1")
                    f2 = _checked(out, f2, "false_reg2")
                taken = dict(regs)
                taken[dst] = t1
                regs[dst] = f1
                if isinstance(s, int) and not same:
                    taken[s] = t2
                    regs[s] = f2
                out.queued[i] = {r: v.log_text() for r, v in taken.items()}
            out.main[i] = {r: regs[r].log_text() for r in shown_regs}
            if pred is True:
                return out
        else:
            raise ValueError(f"unknown step {step!r}")
        if kind != "jmp":
            dst = step[3] if kind == "alu" else step[-1]
            regs[dst] = _checked(out, regs[dst], "alu")
            out.main[i][dst] = regs[dst].log_text()
    return out


def _checked(out: Expect, s: Scalar, ctx: str) -> Scalar:
    s, msg = sc.sanity_check(s, ctx)
    if msg is not None:
        out.violations.append(msg)
    return s


# ---- assembling ----

def assemble(prog: list[Step]) -> tuple[bytes, list[int]]:
    """The program's bytes and, per step, the index of the instruction the log reports it at."""
    pieces: list[tuple[bytes, bool]] = []  # (insn, is_jump_to_end)
    where: list[int] = []
    count = 0
    last = 0

    def emit(b: bytes, jump: bool = False) -> None:
        nonlocal count, last
        pieces.append((b, jump))
        last = count
        count += len(b) // 8

    for step in prog:
        kind = step[0]
        if kind == "init":
            _, reg, what, value = step
            if what == "const":
                if _imm64(value) or value >= (1 << 63):
                    emit(asm.ld_imm64(reg, value & ((1 << 64) - 1)))
                else:
                    emit(asm.mov64_imm(reg, value))
            else:
                emit(asm.call_helper(PRANDOM))
                emit(asm.mov64_reg(reg, 0) if what == "unknown" else asm.mov32_reg(reg, 0))
        elif kind == "alu":
            _, op, alu64, dst, src, signed = step
            if isinstance(src, tuple):
                alu_imm = asm.alu64_imm if alu64 else asm.alu32_imm
                emit(alu_imm(AluOp(op), dst, src[1], signed=signed))
            else:
                alu_reg = asm.alu64_reg if alu64 else asm.alu32_reg
                emit(alu_reg(AluOp(op), dst, src, signed=signed))
        elif kind == "neg":
            emit(asm.neg64(step[2]) if step[1] else asm.neg32(step[2]))
        elif kind == "end":
            _, bits, how, dst = step
            emit(asm.bswap(dst, bits) if how == "bswap" else asm.endian(dst, bits,
                                                                         big=how == "be"))
        elif kind == "movsx":
            _, alu64, bits, dst = step
            emit(asm.movsx64(dst, dst, bits) if alu64 else asm.movsx32(dst, dst, bits))
        elif kind == "mov32":
            emit(asm.mov32_reg(step[1], step[1]))
        elif kind == "jmp":
            _, op, jmp32, dst, src = step
            if isinstance(src, tuple):
                jmp_imm = asm.jmp32_imm if jmp32 else asm.jmp_imm
                emit(jmp_imm(JmpOp(op), dst, src[1], 0), jump=True)
            else:
                g = asm.jmp32_reg if jmp32 else asm.jmp_reg
                emit(g(JmpOp(op), dst, src, 0), jump=True)
        where.append(last)
    # the first path ends at count; each jump gets an exit of its own after it, so that no
    # queued state is pruned against another one
    exits = count + 2
    out = bytearray()
    idx = 0
    for b, jump in pieces:
        if jump:
            b = b[:2] + (exits - idx - 1).to_bytes(2, "little", signed=True) + b[4:]
            exits += 2
        out += b
        idx += len(b) // 8
    out += asm.mov64_imm(0, 0) + asm.exit_()
    for _b, jump in pieces:
        if jump:
            out += asm.mov64_imm(0, 0) + asm.exit_()
    return bytes(out), where


# ---- the kernel's log ----

_INSN_LINE = re.compile(r"^(\d+): \([0-9a-f]{2}\) ([^;]*)(?:;( R\d+=.*))?$")
_STATE_LINE = re.compile(r"^(\d+):( R\d+=.*)$")
_FROM_LINE = re.compile(r"^from (\d+) to (\d+):( R\d+=.*)$")
_REG = re.compile(r" R(\d+)=(.*?)(?= R\d+=|$)")
_ID = re.compile(r"id=\d+(?:[+-]\d+)?,?")


def normalize(text: str) -> str:
    """A register's text without what the domain does not track: ids, the precision mark."""
    text = text.lstrip("P")
    return _ID.sub("", text).replace(",)", ")")


def _regs(text: str) -> dict[int, str]:
    return {int(n): normalize(v) for n, v in _REG.findall(text) if int(n) in REGS}


@dataclass
class KernelStates:
    ok: bool
    main: dict[int, dict[int, str]]
    queued: dict[int, dict[int, str]]
    violations: list[str]
    last_line: str = ""


def violations_in(log: str) -> list[str]:
    """The first path's ``verifier bug: REG INVARIANTS VIOLATION ...`` messages."""
    out = []
    for line in log.splitlines():
        if line.startswith("from "):
            break
        if line.startswith("verifier bug: REG INVARIANTS"):
            out.append(line.removeprefix("verifier bug: "))
    return out


def parse_log(log: str) -> tuple[dict[int, dict[int, str]], dict[int, dict[int, str]]]:
    """The per-instruction states of the first path, and the queued states by source insn."""
    main: dict[int, dict[int, str]] = {}
    queued: dict[int, dict[int, str]] = {}
    first_path = True
    pending = -1  # an instruction whose state the log prints on a line of its own
    for line in log.splitlines():
        m = _FROM_LINE.match(line)
        if m:
            first_path = False
            queued.setdefault(int(m.group(1)), _regs(m.group(3)))
            continue
        if not first_path:
            continue
        m = _INSN_LINE.match(line)
        if m:
            idx = int(m.group(1))
            if m.group(3) is not None:
                main.setdefault(idx, _regs(m.group(3)))
                pending = -1
            else:
                pending = idx
            continue
        m = _STATE_LINE.match(line)
        if m and int(m.group(1)) == pending:
            main.setdefault(pending, _regs(m.group(2)))
            pending = -1
    return main, queued


def kernel_states(prog: list[Step]) -> tuple[KernelStates, list[int]]:
    from kfcheck.kernel import syscall

    code, where = assemble(prog)
    res = syscall.prog_load(code, SOCKET_FILTER, log_level=2)
    main, queued = parse_log(res.log)
    lines = [ln for ln in res.log.splitlines() if ln.strip()]
    return KernelStates(res.ok, main, queued, violations_in(res.log),
                        lines[-1] if lines else ""), where


def compare(prog: list[Step], ks: KernelStates, where: list[int]) -> list[str]:
    """Differences between the domain's account and the kernel's log (empty: agreement)."""
    exp = expected(prog)
    diffs: list[str] = []
    if not ks.ok:
        diffs.append("kernel rejected: " + ks.last_line)
    if exp.violations != ks.violations:
        diffs.append(f"invariant violations: kernel {ks.violations} domain {exp.violations}")
    for i in range(exp.steps):
        idx = where[i]
        want = {r: normalize(t) for r, t in exp.main.get(i, {}).items()}
        got = ks.main.get(idx)
        if got is None:
            diffs.append(f"step {i} ({prog[i]}): insn {idx} not on the kernel's first path")
            break
        for r, t in want.items():
            if got.get(r) != t:
                diffs.append(f"step {i} {prog[i]} R{r}: kernel {got.get(r)} domain {t}")
        if i in exp.queued:
            kq = ks.queued.get(idx)
            wq = {r: normalize(t) for r, t in exp.queued[i].items()}
            if kq is None:
                diffs.append(f"step {i} {prog[i]}: kernel queued no branch")
            elif kq != wq:
                diffs.append(f"step {i} {prog[i]} queued: kernel {kq} domain {wq}")
        elif idx in ks.queued and prog[i][0] == "jmp":
            diffs.append(f"step {i} {prog[i]}: kernel queued a branch, domain predicted it")
        if diffs:
            break
    return diffs


# ---- random programs ----

_ALU = [AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.MOD, AluOp.OR, AluOp.AND,
        AluOp.LSH, AluOp.RSH, AluOp.XOR, AluOp.ARSH]
_JMP = [JmpOp.JEQ, JmpOp.JNE, JmpOp.JGT, JmpOp.JGE, JmpOp.JLT, JmpOp.JLE, JmpOp.JSGT,
        JmpOp.JSGE, JmpOp.JSLT, JmpOp.JSLE, JmpOp.JSET]


def _konst(rng: random.Random) -> int:
    c = rng.random()
    if c < 0.3:
        return rng.randint(-16, 300)
    if c < 0.5:
        return (1 << rng.randint(0, 31)) - rng.randint(0, 2)
    if c < 0.65:
        return -(1 << rng.randint(0, 31)) + rng.randint(0, 2)
    if c < 0.8:
        return rng.choice([0xFF, 0xFFFF, 0xFF00, 0xF0F0, 0x7FFFFFFF, -0x80000000, 0xFFF0])
    return rng.randint(-(1 << 31), (1 << 31) - 1)


def random_program(rng: random.Random, length: int = 14) -> list[Step]:
    """A random program: every register initialised, then ``length`` shaping steps."""
    prog: list[Step] = []
    for reg in REGS:
        what = rng.choice(["unknown", "unknown", "u32", "const"])
        value = 0
        if what == "const":
            value = rng.choice([_konst(rng), rng.getrandbits(64)])
        prog.append(("init", reg, what, value))
    for _ in range(length):
        c = rng.random()
        dst = rng.choice(REGS)
        src: Any = rng.choice(REGS) if rng.random() < 0.35 else ("imm", _konst(rng))
        if c < 0.45:
            op = rng.choice(_ALU + [AluOp.AND, AluOp.AND, AluOp.OR, AluOp.ADD, AluOp.RSH])
            alu64 = rng.random() < 0.6
            if op in (AluOp.LSH, AluOp.RSH, AluOp.ARSH) and isinstance(src, tuple):
                src = ("imm", rng.randint(0, 63 if alu64 else 31))
            if op in (AluOp.DIV, AluOp.MOD) and isinstance(src, tuple) and src[1] == 0:
                src = ("imm", 3)
            signed = op in (AluOp.DIV, AluOp.MOD) and rng.random() < 0.5
            prog.append(("alu", int(op), alu64, dst, src, signed))
        elif c < 0.85:
            jop = rng.choice(_JMP)
            if isinstance(src, int) and src == dst and rng.random() < 0.7:
                src = ("imm", _konst(rng))
            prog.append(("jmp", int(jop), rng.random() < 0.35, dst, src))
        elif c < 0.89:
            prog.append(("neg", rng.random() < 0.6, dst))
        elif c < 0.93:
            prog.append(("end", rng.choice([16, 32, 64]), rng.choice(["bswap", "be", "le"]),
                         dst))
        elif c < 0.97:
            alu64 = rng.random() < 0.6
            prog.append(("movsx", alu64, rng.choice([8, 16, 32] if alu64 else [8, 16]), dst))
        else:
            prog.append(("mov32", dst))
    return prog


def trim(prog: list[Step], diffs_of: Any) -> list[Step]:
    """A shorter program with the same disagreement (drops shaping steps one at a time)."""
    cur = list(prog)
    changed = True
    while changed:
        changed = False
        for i in range(len(cur) - 1, len(REGS) - 1, -1):
            cand = cur[:i] + cur[i + 1:]
            if diffs_of(cand):
                cur = cand
                changed = True
    return cur

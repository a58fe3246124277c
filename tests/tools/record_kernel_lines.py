"""Record how the running kernel's verifier prints instructions, for ``test_kernel_format``.

Run as root: ``python tests/tools/record_kernel_lines.py`` (rewrites kernel_log_examples.json).

Each case is a hand-assembled program loaded with BPF_PROG_LOAD at log_level 2 and closed at
once (nothing is attached, pinned or run). The verifier prints instructions in two places:
the ``Live regs before insn`` listing (every instruction, printed before the main pass, so also
for programs the verifier goes on to reject) and the main pass (``N: (xx) ...  ; state``, only
for instructions it reaches). Both are collected; where both exist they must agree.

Lines whose text depends on the running system are marked with ``runtime``: ``ld_imm64`` of a
map, map value or kernel variable prints the kernel address the verifier put there.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfcheck.isa import asm
from kfcheck.isa.opcodes import AluOp, AtomicOp, JmpOp, PseudoSrc, Size
from kfcheck.kernel.syscall import FdScope, available, map_create, prog_load
from kfcheck.uapi import HelperId, MapType, ProgType

OUT = Path(__file__).resolve().parents[1] / "isa" / "kernel_log_examples.json"
VMLINUX = Path("/sys/kernel/btf/vmlinux")

_MAIN_LINE = re.compile(r"^(\d+): (\([0-9a-f]{2}\) .*?)(?:\s+;.*)?$")
_LIVE_LINE = re.compile(r"^\s*(\d+): [.0-9]{10} (\([0-9a-f]{2}\) .*)$")
BPF_F_MMAPABLE = 1 << 10

ALU_OPS = [AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND, AluOp.LSH,
           AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH]
COND_JMPS = [JmpOp.JEQ, JmpOp.JGT, JmpOp.JGE, JmpOp.JSET, JmpOp.JNE, JmpOp.JSGT, JmpOp.JSGE,
             JmpOp.JLT, JmpOp.JLE, JmpOp.JSLT, JmpOp.JSLE]
SIZES = [Size.B, Size.H, Size.W, Size.DW]


@dataclass
class Env:
    """What the cases may refer to: map fds and kernel BTF ids, created/looked up once."""

    fds: FdScope
    array_fd: int = -1
    arena_fd: int = -1
    btf_ids: dict[str, int] = field(default_factory=dict)


@dataclass
class Case:
    """One program to load."""

    name: str
    prog_type: ProgType
    insns: bytes
    fd_array: list[int] = field(default_factory=list)


def kernel_ids(names: set[str]) -> dict[str, int]:
    """BTF ids of kernel functions and variables, by name (bpftool's BTF dump, read-only)."""
    out = subprocess.run(["bpftool", "btf", "dump", "file", str(VMLINUX)], check=True,
                         capture_output=True, text=True).stdout
    ids: dict[str, int] = {}
    for match in re.finditer(r"^\[(\d+)\] (?:FUNC|VAR) '([^']+)'", out, re.M):
        if match.group(2) in names:
            ids[match.group(2)] = int(match.group(1))
    return ids


def _alu_cases(env: Env) -> list[Case]:
    cases = []
    for wide in (True, False):
        imm = asm.alu64_imm if wide else asm.alu32_imm
        reg = asm.alu64_reg if wide else asm.alu32_reg
        bits = 64 if wide else 32
        body = asm.mov64_imm(0, 100) + asm.mov64_imm(1, 3)
        for op in ALU_OPS:
            body += imm(op, 0, 3) + reg(op, 0, 1)
        body += imm(AluOp.DIV, 0, 3, signed=True) + reg(AluOp.DIV, 0, 1, signed=True)
        body += imm(AluOp.MOD, 0, 3, signed=True) + reg(AluOp.MOD, 0, 1, signed=True)
        body += imm(AluOp.ADD, 0, -7) + imm(AluOp.MOV, 0, -1) + imm(AluOp.AND, 0, 0x7FFFFFFF)
        neg = asm.neg64(0) if wide else asm.neg32(0)
        body += neg + asm.mov64_imm(0, 0) + asm.exit_()
        cases.append(Case(f"alu{bits}", ProgType.SOCKET_FILTER, body))
    movs = (asm.mov64_imm(1, 200) + asm.movsx64(0, 1, 8) + asm.movsx64(0, 1, 16)
            + asm.movsx64(0, 1, 32) + asm.movsx32(0, 1, 8) + asm.movsx32(0, 1, 16)
            + asm.mov64_reg(2, 10) + asm.mov32_reg(3, 1) + asm.mov32_imm(4, -5)
            + asm.mov64_imm(0, 0) + asm.exit_())
    cases.append(Case("mov_movsx", ProgType.SOCKET_FILTER, movs))
    swaps = asm.mov64_imm(0, 0x1234)
    for width in (16, 32, 64):
        swaps += (asm.endian(0, width, big=False) + asm.endian(0, width, big=True)
                  + asm.bswap(0, width))
    cases.append(Case("endian_bswap", ProgType.SOCKET_FILTER, swaps + asm.exit_()))
    if env.arena_fd >= 0:
        arena = (asm.ld_map_fd(1, env.arena_fd) + asm.mov64_imm(1, 0)
                 + asm.addr_space_cast(2, 1, 0, 1) + asm.addr_space_cast(3, 2, 1, 0)
                 + asm.mov64_imm(0, 0) + asm.exit_())
        cases.append(Case("addr_space_cast", ProgType.SOCKET_FILTER, arena))
    return cases


def _jmp_cases(env: Env) -> list[Case]:
    cases = []
    for wide in (True, False):
        imm = asm.jmp_imm if wide else asm.jmp32_imm
        reg = asm.jmp_reg if wide else asm.jmp32_reg
        body = asm.call_helper(HelperId.get_prandom_u32) + asm.mov64_reg(1, 0)
        for op in COND_JMPS:
            body += imm(op, 0, 5, 1) + asm.mov64_imm(2, 1) + reg(op, 0, 1, 0)
        body += imm(JmpOp.JEQ, 0, -1, 0) + imm(JmpOp.JNE, 0, -2147483648, 0)
        body += asm.mov64_imm(0, 0) + asm.exit_()
        cases.append(Case(f"jmp{64 if wide else 32}", ProgType.SOCKET_FILTER, body))
    gotos = (asm.call_helper(HelperId.get_prandom_u32) + asm.jmp_imm(JmpOp.JEQ, 0, 0, 1)
             + asm.ja(1) + asm.gotol(0) + asm.ja(0) + asm.jmp_imm(JmpOp.JEQ, 0, 1, 1)
             + asm.gotol(1) + asm.mov64_imm(0, 2) + asm.mov64_imm(0, 0) + asm.exit_())
    cases.append(Case("goto_gotol", ProgType.SOCKET_FILTER, gotos))
    loop = (asm.mov64_imm(0, 0) + asm.may_goto(2) + asm.alu64_imm(AluOp.ADD, 0, 1)
            + asm.ja(-3) + asm.exit_())
    cases.append(Case("may_goto", ProgType.SOCKET_FILTER, loop))
    back = (asm.mov64_imm(0, 0) + asm.alu64_imm(AluOp.ADD, 0, 1)
            + asm.jmp_imm(JmpOp.JLT, 0, 4, -2) + asm.exit_())
    cases.append(Case("bounded_loop", ProgType.SOCKET_FILTER, back))
    calls = (asm.mov64_imm(1, 7) + asm.call_subprog(3) + asm.call_helper(HelperId.ktime_get_ns)
             + asm.mov64_imm(0, 0) + asm.exit_()
             + asm.mov64_reg(0, 1) + asm.exit_())
    cases.append(Case("call_subprog_helper", ProgType.SOCKET_FILTER, calls))
    if env.array_fd >= 0:
        lookup = (asm.st(Size.W, 10, -4, 0) + asm.mov64_reg(2, 10)
                  + asm.alu64_imm(AluOp.ADD, 2, -4) + asm.ld_map_fd(1, env.array_fd)
                  + asm.call_helper(HelperId.map_lookup_elem) + asm.mov64_imm(0, 0)
                  + asm.exit_())
        cases.append(Case("helper_map_lookup", ProgType.SOCKET_FILTER, lookup))
    unknown = asm.call_helper(999) + asm.mov64_imm(0, 0) + asm.exit_()
    cases.append(Case("unknown_helper", ProgType.SOCKET_FILTER, unknown))
    lock, unlock = env.btf_ids.get("bpf_rcu_read_lock"), env.btf_ids.get("bpf_rcu_read_unlock")
    if lock and unlock:
        kfuncs = (asm.call_kfunc(lock) + asm.call_kfunc(unlock) + asm.mov64_imm(0, 0)
                  + asm.exit_())
        cases.append(Case("kfunc_call", ProgType.RAW_TRACEPOINT, kfuncs))
    return cases


def _mem_cases(env: Env) -> list[Case]:
    body = b""
    for size in SIZES:
        off = -8
        body += asm.st(size, 10, off, -3) + asm.ldx(size, 0, 10, off)
        body += asm.mov64_imm(1, 0x7F) + asm.stx(size, 10, 1, off - 8)
        body += asm.ldx(size, 2, 10, off - 8)
        if size != Size.DW:
            body += asm.ldsx(size, 3, 10, off - 8)
    cases = [Case("ldx_st_stx_ldsx", ProgType.SOCKET_FILTER,
                  body + asm.mov64_imm(0, 0) + asm.exit_())]
    atomics = asm.st(Size.DW, 10, -8, 0) + asm.mov64_imm(1, 1) + asm.mov64_imm(0, 0)
    for size in (Size.W, Size.DW):
        for op in (AtomicOp.ADD, AtomicOp.AND, AtomicOp.OR, AtomicOp.XOR, AtomicOp.FETCH_ADD,
                   AtomicOp.FETCH_AND, AtomicOp.FETCH_OR, AtomicOp.FETCH_XOR, AtomicOp.XCHG,
                   AtomicOp.CMPXCHG):
            atomics += asm.atomic(size, op, 10, 1, -8)
    cases.append(Case("atomics", ProgType.SOCKET_FILTER,
                      atomics + asm.mov64_imm(0, 0) + asm.exit_()))
    acq_rel = asm.st(Size.DW, 10, -8, 0) + asm.mov64_imm(1, 1)
    for size in SIZES:
        acq_rel += asm.store_release(size, 10, 1, -8) + asm.load_acquire(size, 2, 10, -8)
    cases.append(Case("load_acquire_store_release", ProgType.SOCKET_FILTER,
                      acq_rel + asm.mov64_imm(0, 0) + asm.exit_()))
    legacy = asm.mov64_reg(6, 1) + asm.mov64_imm(7, 2)
    for size in (Size.B, Size.H, Size.W):
        legacy += asm.ld_abs(size, 12) + asm.ld_ind(size, 7, 14)
    cases.append(Case("ld_abs_ind", ProgType.SOCKET_FILTER,
                      legacy + asm.mov64_imm(0, 0) + asm.exit_()))
    return cases


def _ld_imm64_cases(env: Env) -> list[Case]:
    plain = (asm.ld_imm64(1, 0x1122334455667788) + asm.ld_imm64(2, -1) + asm.ld_imm64(3, 0)
             + asm.ld_imm64(4, 0xFFFFFFFF) + asm.mov64_imm(0, 0) + asm.exit_())
    cases = [Case("ld_imm64_plain", ProgType.SOCKET_FILTER, plain)]
    func = (asm.mov64_imm(1, 4) + asm.ld_func(2, 6) + asm.mov64_imm(3, 0) + asm.mov64_imm(4, 0)
            + asm.call_helper(HelperId.loop) + asm.mov64_imm(0, 0) + asm.exit_()
            + asm.mov64_imm(0, 0) + asm.exit_())
    cases.append(Case("ld_imm64_func", ProgType.RAW_TRACEPOINT, func))
    if env.array_fd >= 0:
        fd = env.array_fd
        maps = (asm.ld_map_fd(1, fd) + asm.ld_map_value(2, fd, 0) + asm.ld_map_value(3, fd, 4)
                + asm.ld_imm64(4, 0, PseudoSrc.MAP_IDX) + asm.ld_imm64(5, 4 << 32,
                                                                     PseudoSrc.MAP_IDX_VALUE)
                + asm.mov64_imm(0, 0) + asm.exit_())
        cases.append(Case("ld_imm64_maps", ProgType.SOCKET_FILTER, maps, [fd]))
    # Prints nothing on kernels without CONFIG_KALLSYMS_ALL: the address lookup fails first.
    var = env.btf_ids.get("bpf_prog_active")
    if var:
        ksym = asm.ld_btf_id(1, var) + asm.mov64_imm(0, 0) + asm.exit_()
        cases.append(Case("ld_imm64_btf_id", ProgType.RAW_TRACEPOINT, ksym))
    return cases


CASE_BUILDERS: list[Callable[[Env], list[Case]]] = [
    _alu_cases, _jmp_cases, _mem_cases, _ld_imm64_cases,
]

_RUNTIME_PSEUDO = {PseudoSrc.MAP_FD: "map address", PseudoSrc.MAP_IDX: "map address",
                   PseudoSrc.MAP_VALUE: "map value address",
                   PseudoSrc.MAP_IDX_VALUE: "map value address",
                   PseudoSrc.BTF_ID: "kernel variable address"}


def _insn_bytes(insns: bytes, index: int) -> bytes:
    """The slot(s) of the instruction at ``index`` (two for ``ld_imm64``)."""
    first = insns[index * 8:index * 8 + 8]
    return insns[index * 8:index * 8 + 16] if first[0] == 0x18 else first


def _runtime(raw: bytes) -> str | None:
    return _RUNTIME_PSEUDO.get(PseudoSrc(raw[1] >> 4)) if raw[0] == 0x18 else None


def record_case(case: Case) -> dict[str, Any]:
    """Load one case; collect the kernel's line for every instruction it printed."""
    result = prog_load(case.insns, case.prog_type, log_level=2, fd_array=case.fd_array,
                       name=case.name)
    main: dict[int, str] = {}
    live: dict[int, str] = {}
    for text in result.log.splitlines():
        if m := _LIVE_LINE.match(text):
            live.setdefault(int(m.group(1)), m.group(2))
        elif m := _MAIN_LINE.match(text):
            main.setdefault(int(m.group(1)), m.group(2))
    lines = []
    for index in sorted(main.keys() | live.keys()):
        texts = {t for t in (main.get(index), live.get(index)) if t is not None}
        if len(texts) != 1:
            raise SystemExit(f"{case.name}: insn {index} printed differently: {texts}")
        raw = _insn_bytes(case.insns, index)
        lines.append({"index": index, "bytes": raw.hex(), "line": f"{index}: {texts.pop()}",
                      "runtime": _runtime(raw)})
    last = [t for t in result.log.splitlines() if t.strip()]
    return {"name": case.name, "prog_type": case.prog_type.name, "accepted": result.ok,
            "errno": result.errno, "last_log_line": last[-1] if last else "",
            "insn_count": len(case.insns) // 8, "lines": lines}


def main() -> int:
    """Record every case into ``kernel_log_examples.json``."""
    reason = available()
    if reason:
        print(f"cannot record: {reason}", file=sys.stderr)
        return 1
    with FdScope() as fds:
        env = Env(fds)
        env.array_fd = fds.adopt(map_create(MapType.ARRAY, 4, 8, 1, name="rec_array"))
        try:
            env.arena_fd = fds.adopt(map_create(MapType.ARENA, 0, 0, 1,
                                                map_flags=BPF_F_MMAPABLE, name="rec_arena",
                                                map_extra=1 << 32))
        except Exception as err:  # noqa: BLE001 - arena is optional
            print(f"no arena map: {err}", file=sys.stderr)
        env.btf_ids = kernel_ids({"bpf_rcu_read_lock", "bpf_rcu_read_unlock",
                                   "bpf_prog_active"})
        cases = [case for build in CASE_BUILDERS for case in build(env)]
        records = [record_case(case) for case in cases]
    kfunc_names = {str(v): k for k, v in env.btf_ids.items() if k.startswith("bpf_rcu")}
    doc = {
        "kernel": platform.release(),
        "recorded_by": "tests/isa/record_kernel_lines.py",
        "note": "line: the verifier's text for the instruction at index; runtime: the text "
                "holds a kernel address that differs per load (compare all but the value)",
        "not_recorded": {
            "ld_imm64 BTF_ID (src=3)": "needs the variable's address from kallsyms; kernels "
            "without CONFIG_KALLSYMS_ALL fail the load before printing. Printed like the "
            "map forms: r<dst> = 0x<address>",
        } if not any(r["name"] == "ld_imm64_btf_id" and r["lines"] for r in records) else {},
        "kfunc_names": kfunc_names,
        "cases": records,
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    total = sum(len(r["lines"]) for r in records)
    for record in records:
        printed = len(record["lines"])
        print(f"{record['name']:28} {record['prog_type']:16} ok={record['accepted']!s:5} "
              f"lines={printed}/{record['insn_count']}  {record['last_log_line'][:70]}")
    print(f"{len(records)} cases, {total} lines -> {OUT.relative_to(Path.cwd())}")
    return 0


if __name__ == "__main__":
    os.chdir(Path(__file__).resolve().parents[2])
    raise SystemExit(main())

"""Record the running kernel's register states for scalar programs (needs root and bpf()).

    .venv/bin/python tests/tools/record_scalar_kernel.py \
        > tests/verifier/data/scalar_kernel_6.18.json

Writes, for the hand-written programs of ``PROGRAMS`` and the random ones of ``SEEDS``, what the
kernel's log level 2 printed per instruction (ids and precision marks removed, see
``scalar_programs.normalize``). ``test_scalar_kernel.py`` replays them through the domain.
"""

from __future__ import annotations

import json
import platform
import random
import sys
from typing import Any

import scalar_programs as sp

from kfcheck.isa.opcodes import AluOp as A
from kfcheck.isa.opcodes import JmpOp as J

U, K = "unknown", "const"
PROGRAMS: dict[str, list[sp.Step]] = {
    # the Cilium case fixed by tnum_step: two possible values, one excluded by a branch
    "tnum_step_single_value": [
        ("init", 6, U, 0), ("alu", A.OR, True, 6, ("imm", 0xE00), False),
        ("alu", A.AND, True, 6, ("imm", 0xF00), False), ("jmp", J.JEQ, False, 6, ("imm", 0xE00)),
        ("jmp", J.JEQ, False, 6, ("imm", 0xF00))],
    "add_all_wrap": [
        ("init", 6, U, 0), ("jmp", J.JLT, False, 6, ("imm", -128)),
        ("jmp", J.JGT, False, 6, ("imm", -64)), ("alu", A.ADD, True, 6, ("imm", 0x100), False)],
    "sub_all_wrap": [
        ("init", 6, U, 0), ("jmp", J.JLT, False, 6, ("imm", 0x100)),
        ("jmp", J.JGT, False, 6, ("imm", 0x1FF)), ("alu", A.SUB, True, 6, ("imm", 0x200), False)],
    "mul_signed": [
        ("init", 6, U, 0), ("jmp", J.JSLT, False, 6, ("imm", -3)),
        ("jmp", J.JSGT, False, 6, ("imm", 5)), ("alu", A.MUL, True, 6, ("imm", 7), False),
        ("alu", A.MUL, False, 6, ("imm", -3), False)],
    "div_mod_unknown": [
        ("init", 6, K, 10), ("alu", A.DIV, True, 6, ("imm", 3), False),
        ("init", 7, U, 0), ("alu", A.AND, True, 7, ("imm", 0xFF), False),
        ("alu", A.MOD, False, 7, ("imm", 7), True)],
    "neg_and_bswap": [
        ("init", 6, U, 0), ("alu", A.AND, True, 6, ("imm", 0xFF0), False), ("neg", True, 6),
        ("init", 7, U, 0), ("alu", A.AND, True, 7, ("imm", 0xFF0), False),
        ("end", 16, "bswap", 7), ("init", 8, U, 0), ("alu", A.AND, False, 8, ("imm", 0xF0F0),
                                                        False),
        ("end", 32, "be", 8), ("end", 16, "le", 8), ("neg", False, 8)],
    "fork_neg1_zero": [
        ("init", 6, U, 0), ("jmp", J.JSLT, False, 6, ("imm", -1)),
        ("jmp", J.JSGT, False, 6, ("imm", 0)), ("alu", A.AND, True, 6, ("imm", 5), False),
        ("init", 7, U, 0), ("alu", A.ARSH, True, 7, ("imm", 63), False),
        ("alu", A.OR, False, 7, ("imm", 0x10), False)],
    "movsx": [
        ("init", 6, U, 0), ("alu", A.AND, True, 6, ("imm", 0x7F), False),
        ("alu", A.SUB, True, 6, ("imm", 0x20), False), ("movsx", True, 8, 6),
        ("init", 7, U, 0), ("alu", A.AND, True, 7, ("imm", 0x1FF), False),
        ("movsx", True, 8, 7), ("init", 8, "u32", 0), ("movsx", False, 16, 8),
        ("movsx", True, 32, 8), ("mov32", 8)],
    "shifts": [
        ("init", 6, "u32", 0), ("alu", A.LSH, True, 6, ("imm", 32), False),
        ("alu", A.ARSH, True, 6, ("imm", 32), False), ("init", 7, U, 0),
        ("alu", A.RSH, False, 7, ("imm", 28), False), ("alu", A.LSH, False, 7, ("imm", 3), False),
        ("alu", A.RSH, True, 7, 6, False)],
    "jset": [
        ("init", 6, U, 0), ("jmp", J.JSET, False, 6, ("imm", 0x10)),
        ("jmp", J.JSET, True, 6, ("imm", 0x3)), ("jmp", J.JSET, False, 6, ("imm", 0x10))],
    "same_register_jumps": [
        ("init", 6, U, 0), ("jmp", J.JGT, False, 6, 6), ("jmp", J.JSLT, True, 6, 6),
        ("init", 7, K, 5), ("jmp", J.JNE, False, 7, 7)],
    "reg_reg_jumps": [
        ("init", 6, U, 0), ("init", 7, "u32", 0), ("jmp", J.JGE, False, 6, 7),
        ("jmp", J.JSLE, True, 7, 6), ("jmp", J.JEQ, False, 6, 7), ("jmp", J.JNE, True, 7, 6)],
}
SEEDS = range(0, 60)
# random programs on which the kernel reports (and survives) an invariant violation
VIOLATION_SEEDS = (5476, 6350)


def _plain(x: Any) -> Any:
    """Enum members as plain ints (booleans stay booleans)."""
    return int(x) if isinstance(x, int) and not isinstance(x, bool) else x


def record(prog: list[sp.Step]) -> dict[str, Any]:
    ks, _ = sp.kernel_states(prog)
    return {
        "program": [list(s) for s in prog],
        "ok": ks.ok,
        "main": {str(k): {str(r): t for r, t in v.items()} for k, v in ks.main.items()},
        "queued": {str(k): {str(r): t for r, t in v.items()} for k, v in ks.queued.items()},
        "violations": ks.violations,
        "last_line": ks.last_line,
    }


def main() -> None:
    cases: dict[str, Any] = {}
    for name, prog in PROGRAMS.items():
        cases[name] = record([tuple(_plain(x) for x in s) for s in prog])
    for seed in SEEDS:
        rng = random.Random(seed)
        cases[f"random_{seed}"] = record(sp.random_program(rng, rng.randint(8, 24)))
    for seed in VIOLATION_SEEDS:
        cases[f"violation_{seed}"] = record(sp.random_program(random.Random(seed), 24))
    sys.stdout.write(f'{{"kernel": {json.dumps(platform.release())}, "cases": {{\n')
    sys.stdout.write(",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in cases.items()))
    sys.stdout.write("\n}}\n")


if __name__ == "__main__":
    main()

"""Stack accesses at a variable offset (a privileged loader may make them): bounds over the
whole range, strict alignment, writes that leave unknown bytes. Expectations are the kernel's;
with bpf() available the running kernel re-checks each case."""

from __future__ import annotations

from dataclasses import replace

import pytest
from corpus_intent import CORPUS_DIR

from kfcheck.isa import Size, decode
from kfcheck.isa import asm as a
from kfcheck.isa.opcodes import AluOp
from kfcheck.kernel.oracle import load
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.profile.embedded import load_profile
from kfcheck.verifier.check import verify


def _index(mask: int) -> bytes:
    """r3 = fp - 64 + (skb->len & mask)."""
    return (a.ldx(Size.W, 2, 1, 0) + a.alu64_imm(AluOp.AND, 2, mask) + a.mov64_reg(3, 10)
            + a.alu64_imm(AluOp.ADD, 3, -64) + a.alu64_reg(AluOp.ADD, 3, 2))


_RET = a.mov64_imm(0, 0) + a.exit_()

CASES = {
    "write_then_read": (
        _index(0x1C) + a.st(Size.W, 3, 0, 1) + a.ldx(Size.W, 0, 3, 0) + _RET,
        "accept", ""),
    "read_uninitialised": (_index(0x1C) + a.ldx(Size.W, 0, 3, 0) + _RET, "accept", ""),
    "past_the_frame": (
        _index(0x7C) + a.ldx(Size.W, 0, 3, 0) + _RET,
        "reject", "invalid variable-offset read from stack R3 var_off=(0x0; 0x7c) off=-64 size=4"),
    "write_past_the_frame": (
        _index(0x7C) + a.st(Size.W, 3, 0, 1) + _RET,
        "reject", "invalid variable-offset write to stack R3 var_off=(0x0; 0x7c) off=-64 size=4"),
    "misaligned": (
        _index(0x1C) + a.ldx(Size.DW, 0, 3, 0) + _RET,
        "reject", "misaligned stack access off (0x0; 0x1c)+-64+0 size 8"),
    # a variable write leaves unknown bytes over the zeros written before: the byte read back
    # is [0, 255], so fp - 1 + it may leave the frame
    "write_spoils_known_zero": (
        a.st(Size.DW, 10, -64, 0) + a.st(Size.DW, 10, -56, 0) + _index(0x8)
        + a.st(Size.B, 3, 0, 7) + a.ldx(Size.B, 4, 10, -64) + a.mov64_reg(5, 10)
        + a.alu64_reg(AluOp.ADD, 5, 4) + a.ldx(Size.B, 0, 5, -1) + _RET,
        "reject", "invalid variable-offset read from stack R5 var_off=(0x0; 0xff) off=-1 size=1"),
}


def _program(code: bytes) -> Program:
    """A tc program of the corpus with its instructions replaced by ``code``."""
    linked = next(p for p in link_file(str(CORPUS_DIR / "cast_to_kern_ctx_ok.bpf.o"),
                                       KernelTarget.from_profile(load_profile()))
                  if isinstance(p, Program))
    return replace(linked, insns=tuple(decode(code)), func_info=(), line_info=())


@pytest.mark.parametrize("name", sorted(CASES))
def test_stack_var_offset(name: str) -> None:
    code, outcome, error = CASES[name]
    verdict = verify(_program(code), load_profile())
    assert (verdict.outcome.value, verdict.error) == (outcome, error)


@pytest.mark.kernel
@pytest.mark.parametrize("name", sorted(CASES))
def test_stack_var_offset_kernel(name: str, bpf_fds_checked: None) -> None:
    code, outcome, error = CASES[name]
    verdict = load(_program(code), full_log=False)
    assert (verdict.outcome.value, verdict.error) == (outcome, error)

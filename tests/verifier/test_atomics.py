"""BPF_ATOMIC read-modify-write instructions: where they may write, what the fetch register
holds, the order of the checks. Expectations are the kernel's; with bpf() available the
running kernel re-checks each case."""

from __future__ import annotations

from dataclasses import replace

import pytest
from corpus_intent import CORPUS_DIR

from kfcheck.isa import Size, decode
from kfcheck.isa import asm as a
from kfcheck.isa.opcodes import AluOp, AtomicOp
from kfcheck.kernel.oracle import load
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.profile.embedded import load_profile
from kfcheck.verifier.check import verify

_INIT = a.st(Size.DW, 10, -8, 5)  # *(u64 *)(r10 - 8) = 5
_RET = a.mov64_imm(0, 0) + a.exit_()

CASES = {
    "fetch_add_on_stack": (
        _INIT + a.mov64_imm(2, 1) + a.atomic(Size.DW, AtomicOp.FETCH_ADD, 10, 2, -8)
        + a.mov64_reg(0, 2) + a.exit_(),
        "accept", ""),
    "add_on_ctx": (
        a.mov64_imm(2, 1) + a.atomic(Size.W, AtomicOp.ADD, 1, 2, 0) + _RET,
        "reject", "BPF_ATOMIC stores into R1 ctx is not allowed"),
    "cmpxchg_reads_r0": (
        _INIT + a.mov64_imm(2, 1) + a.atomic(Size.DW, AtomicOp.CMPXCHG, 10, 2, -8) + _RET,
        "reject", "R0 !read_ok"),
    "xchg_fetches_the_spilled_constant": (  # r2 = 5, the old value, so r3 = fp+5
        _INIT + a.mov64_imm(2, 7) + a.atomic(Size.DW, AtomicOp.XCHG, 10, 2, -8)
        + a.mov64_reg(3, 10) + a.alu64_reg(AluOp.ADD, 3, 2) + a.ldx(Size.B, 0, 3, 0)
        + a.exit_(),
        "reject", "invalid read from stack R3 off=5 size=1"),
    # the fetch register is overwritten first; atomics check alignment strictly, before the type
    "fetch_into_the_address_register": (
        _INIT + a.mov64_reg(2, 10) + a.atomic(Size.DW, AtomicOp.FETCH_ADD, 2, 2, -8) + _RET,
        "reject", "misaligned access off (0x0; 0xffffffffffffffff)+0+-8 size 8"),
    "misaligned_on_stack": (
        _INIT + a.mov64_imm(2, 1) + a.atomic(Size.W, AtomicOp.ADD, 10, 2, -6) + _RET,
        "reject", "misaligned stack access off 0+0+-6 size 4"),
    "misaligned_constant_address": (  # the alignment check comes before the type check
        a.mov64_imm(3, -4) + a.mov64_imm(2, 1) + a.atomic(Size.DW, AtomicOp.ADD, 3, 2, 0) + _RET,
        "reject", "misaligned access off 0xfffffffffffffffc+0+0 size 8"),
    "out_of_stack": (
        a.mov64_imm(2, 1) + a.atomic(Size.DW, AtomicOp.ADD, 10, 2, 8) + _RET,
        "reject", "invalid read from stack R10 off=8 size=8"),
}


def _program(code: bytes) -> Program:
    """A tc program of the corpus with its instructions replaced by ``code``."""
    linked = next(p for p in link_file(str(CORPUS_DIR / "cast_to_kern_ctx_ok.bpf.o"),
                                       KernelTarget.from_profile(load_profile()))
                  if isinstance(p, Program))
    return replace(linked, insns=tuple(decode(code)), func_info=(), line_info=())


@pytest.mark.parametrize("name", sorted(CASES))
def test_atomic(name: str) -> None:
    code, outcome, error = CASES[name]
    verdict = verify(_program(code), load_profile())
    assert (verdict.outcome.value, verdict.error) == (outcome, error)


@pytest.mark.kernel
@pytest.mark.parametrize("name", sorted(CASES))
def test_atomic_kernel(name: str, bpf_fds_checked: None) -> None:
    code, outcome, error = CASES[name]
    verdict = load(_program(code), full_log=False)
    assert (verdict.outcome.value, verdict.error) == (outcome, error)

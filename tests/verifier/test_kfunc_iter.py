"""Open-coded iterators (``KF_ITER_NEW/NEXT/DESTROY``): slot states, the kernel's messages,
leaks, and loop convergence at the next call, on hand-built tc programs; the running kernel
gives the same verdict (when it can be asked)."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from corpus_intent import CORPUS_DIR

from kfcheck.isa import decode
from kfcheck.isa.asm import (
    alu64_imm,
    alu64_reg,
    call_kfunc,
    exit_,
    ja,
    jmp_imm,
    ldx,
    mov64_imm,
    mov64_reg,
)
from kfcheck.isa.opcodes import AluOp, JmpOp, Size
from kfcheck.kernel.oracle import load
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.profile.embedded import Profile, load_profile
from kfcheck.verifier.check import verify

RUNNING = "6.18.44-fc-v1272"


def _ids(profile: Profile) -> tuple[int, int, int]:
    ids = []
    for method in ("new", "next", "destroy"):
        spec = profile.table.by_name(f"bpf_iter_num_{method}")
        assert spec is not None
        ids.append(spec.btf_id)
    return ids[0], ids[1], ids[2]


def _program(profile: Profile, code: bytes) -> Program:
    linked = next(p for p in link_file(str(CORPUS_DIR / "cast_to_kern_ctx_ok.bpf.o"),
                                       KernelTarget.from_profile(profile))
                  if isinstance(p, Program))
    return replace(linked, insns=tuple(decode(code)), func_info=(), line_info=())


def _new(new: int, off: int = -8, lo: int = 0, hi: int = 10) -> bytes:
    return (mov64_reg(1, 10) + alu64_imm(AluOp.ADD, 1, off) + mov64_imm(2, lo)
            + mov64_imm(3, hi) + call_kfunc(new))


def _fp(off: int = -8) -> bytes:
    return mov64_reg(1, 10) + alu64_imm(AluOp.ADD, 1, off)


def _loop(new: int, nxt: int, destroy: int) -> bytes:
    """bpf_for(i, 0, 10) sum += i; destroy; return 0."""
    return (mov64_imm(6, 0) + _new(new)
            + _fp() + call_kfunc(nxt)                      # 6: loop head
            + jmp_imm(JmpOp.JEQ, 0, 0, 3)
            + ldx(Size.W, 1, 0, 0) + alu64_reg(AluOp.ADD, 6, 1)
            + ja(-7)
            + _fp() + call_kfunc(destroy) + mov64_imm(0, 0) + exit_())


def _nested(new: int, nxt: int, destroy: int) -> bytes:
    """Two nested bpf_for loops (the inner iterator is destroyed inside the outer loop)."""
    return (_new(new, -8, 0, 3)
            + _fp(-8) + call_kfunc(nxt) + jmp_imm(JmpOp.JEQ, 0, 0, 14)       # 5: outer head
            + _new(new, -16, 0, 3)
            + _fp(-16) + call_kfunc(nxt) + jmp_imm(JmpOp.JEQ, 0, 0, 1)      # 14: inner head
            + ja(-5)
            + _fp(-16) + call_kfunc(destroy) + ja(-18)
            + _fp(-8) + call_kfunc(destroy) + mov64_imm(0, 0) + exit_())


def _bounded_counter(new: int, nxt: int, destroy: int) -> bytes:
    """A counter the loop body checks (it fails after 4 iterations): the kernel keeps it
    precise (the comparison decides a branch) and iterates until the bad load."""
    return (mov64_imm(6, 0) + mov64_imm(7, 0) + _new(new)
            + _fp() + call_kfunc(nxt)                                       # 7: loop head
            + jmp_imm(JmpOp.JEQ, 0, 0, 4)
            + alu64_imm(AluOp.ADD, 6, 1)
            + jmp_imm(JmpOp.JGT, 6, 3, 1)
            + ja(-7)
            + ldx(Size.DW, 0, 7, 0)                                         # 13: bad
            + _fp() + call_kfunc(destroy) + mov64_imm(0, 0) + exit_())


def _cases(new: int, nxt: int, destroy: int) -> dict[str, tuple[bytes, str, str]]:
    ret0 = mov64_imm(0, 0) + exit_()
    return {
        "loop": (_loop(new, nxt, destroy), "accept", ""),  # the sum is widened (imprecise)
        "bounded_counter": (_bounded_counter(new, nxt, destroy), "reject",
                            "R7 invalid mem access 'scalar'"),
        "counter": (mov64_imm(6, 0) + _new(new) + _fp() + call_kfunc(nxt)
                    + jmp_imm(JmpOp.JEQ, 0, 0, 2) + alu64_imm(AluOp.ADD, 6, 1) + ja(-6)
                    + _fp() + call_kfunc(destroy) + mov64_reg(0, 6) + exit_(), "accept", ""),
        "nested": (_nested(new, nxt, destroy), "accept", ""),
        "nested_leak": (_nested(new, nxt, destroy)[:-5 * 8] + mov64_imm(0, 0) + exit_(),
                        "reject",
                        "BPF_EXIT instruction in main prog would lead to reference leak"),
        "leak": (_new(new) + ret0, "reject",
                 "BPF_EXIT instruction in main prog would lead to reference leak"),
        "next_uninit": (_fp() + call_kfunc(nxt) + ret0, "reject",
                        "expected an initialized iter_num as arg #0"),
        "destroy_uninit": (_fp() + call_kfunc(destroy) + ret0, "reject",
                           "expected an initialized iter_num as arg #0"),
        "new_twice": (_new(new) + _new(new) + ret0, "reject",
                      "expected uninitialized iter_num as arg #0"),
        "not_stack": (mov64_reg(6, 1) + _new(new) + mov64_reg(1, 6) + call_kfunc(nxt)
                      + ret0, "reject", "arg#0 expected pointer to an iterator on stack"),
        "destroyed_twice": (_new(new) + _fp() + call_kfunc(destroy) + _fp()
                            + call_kfunc(destroy) + ret0, "reject",
                            "expected an initialized iter_num as arg #0"),
        "next_unchecked": (_new(new) + _fp() + call_kfunc(nxt) + ldx(Size.W, 6, 0, 0)
                           + _fp() + call_kfunc(destroy) + ret0, "reject",
                           "R0 invalid mem access 'scalar'"),
        "use_after_destroy": (_new(new) + _fp() + call_kfunc(nxt) + mov64_reg(6, 0)
                              + _fp() + call_kfunc(destroy)
                              + jmp_imm(JmpOp.JEQ, 6, 0, 1) + ldx(Size.W, 1, 6, 0) + ret0,
                              "reject", "R6 invalid mem access 'scalar'"),
    }


NAMES = list(_cases(1, 2, 3))


@pytest.mark.parametrize("name", NAMES)
def test_offline(name: str) -> None:
    profile = load_profile()
    code, outcome, error = _cases(*_ids(profile))[name]
    verdict = verify(_program(profile, code), profile)
    assert (verdict.outcome.value, verdict.error or "") == (outcome, error)


@pytest.mark.parametrize("name", NAMES)
def test_same_as_the_kernel(name: str, bpf_fds_checked: None) -> None:
    """The running kernel's verdict, when it is the build of a shipped profile."""
    profile = load_profile(name=RUNNING)
    if os.uname().release != RUNNING:
        pytest.skip(f"the running kernel is not {RUNNING}")
    code, outcome, _ = _cases(*_ids(profile))[name]
    if outcome == "unsupported":
        pytest.skip("kfcheck does not judge it")
    program = _program(profile, code)
    kernel = load(program, full_log=False)
    offline = verify(program, profile)
    assert (offline.outcome, offline.error) == (kernel.outcome, kernel.error)

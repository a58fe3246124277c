"""Resilient spin locks (RES_LOCK / RES_UNLOCK families): the failure path of a lock call, and
irq flags of the lock class against native ones, on a hand-built variant of a corpus
program; the running kernel gives the same verdict (when it can be asked)."""

from __future__ import annotations

import os
import struct
from dataclasses import replace

import pytest
from corpus_intent import CORPUS_DIR

from kfcheck.isa import decode
from kfcheck.isa.asm import alu64_imm, call_kfunc, exit_, mov64_imm, mov64_reg
from kfcheck.isa.opcodes import AluOp
from kfcheck.kernel.oracle import load
from kfcheck.link import KernelTarget, Program, link_file
from kfcheck.profile.embedded import Profile, load_profile
from kfcheck.verifier.check import verify
from kfcheck.verifier.kfunc_reslock import MAX_ERRNO, failure_state
from kfcheck.verifier.state import FP, NOT_INIT, Base, Frame, State, pointer

RUNNING = "6.18.44-fc-v1272"
BASE = CORPUS_DIR / "res_lock_irqsave_ok.bpf.o"  # lookup, lock_irqsave, value++ (insns 0-18)


def test_failure_state() -> None:
    regs = [pointer(Base.PTR_TO_CTX)] * 11
    regs[FP] = pointer(Base.PTR_TO_STACK)
    st = failure_state(State((Frame(tuple(regs)),)))
    r0 = st.reg(0)
    assert r0.base is Base.SCALAR
    assert (r0.s.smin, r0.s.smax, r0.s.s32_min, r0.s.s32_max) == (-MAX_ERRNO, -1, -MAX_ERRNO, -1)
    assert all(st.reg(r) is NOT_INIT for r in range(1, 6))
    assert st.reg(6).base is Base.PTR_TO_CTX


def _kfunc(profile: Profile, name: str) -> int:
    spec = profile.table.by_name(name)
    assert spec is not None
    return spec.btf_id


def _native_flag_restored_by_lock(profile: Profile) -> Program:
    """Save irqs natively (flag at fp-24), lock with irqsave (fp-16), then unlock the lock
    restoring the native flag; the other paths restore the native flag and return."""
    linked = next(p for p in link_file(str(BASE), KernelTarget.from_profile(profile))
                  if isinstance(p, Program))
    prefix = (mov64_reg(1, 10) + alu64_imm(AluOp.ADD, 1, -24)
              + call_kfunc(_kfunc(profile, "bpf_local_irq_save")))
    body = bytearray(b"".join(i.raw for i in linked.insns if i.index <= 18))
    for index, off in ((8, 16), (15, 9)):  # both "return 0" jumps, to the new end
        pos = index * 8 + 2
        body[pos:pos + 2] = struct.pack("<h", off)
    tail = (mov64_reg(2, 10) + alu64_imm(AluOp.ADD, 2, -24) + mov64_reg(1, 6)
            + call_kfunc(_kfunc(profile, "bpf_res_spin_unlock_irqrestore"))
            + mov64_imm(0, 0) + exit_()
            + mov64_reg(1, 10) + alu64_imm(AluOp.ADD, 1, -24)
            + call_kfunc(_kfunc(profile, "bpf_local_irq_restore"))
            + mov64_imm(0, 0) + exit_())
    refs = tuple(replace(r, insn=r.insn + 3) for r in linked.map_refs)
    return replace(linked, insns=tuple(decode(prefix + bytes(body) + tail)), map_refs=refs,
                   func_info=(), line_info=())


def test_irq_flag_class() -> None:
    profile = load_profile()
    verdict = verify(_native_flag_restored_by_lock(profile), profile)
    assert (verdict.outcome.value, verdict.error, verdict.insn) == (
        "reject", "irq flag acquired by native kfuncs cannot be restored with lock kfuncs", 25)


def test_irq_flag_class_as_the_kernel(bpf_fds_checked: None) -> None:
    if os.uname().release != RUNNING:
        pytest.skip(f"the running kernel is not {RUNNING}")
    profile = load_profile(name=RUNNING)
    program = _native_flag_restored_by_lock(profile)
    kernel = load(program, full_log=False)
    offline = verify(program, profile)
    assert (offline.outcome, offline.error, offline.insn) == (
        kernel.outcome, kernel.error, kernel.insn)

"""Saved interrupt flags (``__irq_flag`` arguments of the IRQ_SAVE / IRQ_RESTORE families,
``process_irq_flag``): a save marks an 8-byte stack slot as an irq flag holding a new irq
state (a reference of kind ``irq``); a restore needs an initialised flag of the most recent
state (LIFO) and clears both."""

from __future__ import annotations

from dataclasses import replace

from kfcheck.profile.kfuncs.schema import Family, KfuncSpec
from kfcheck.verifier.env import Env
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import (
    SLOT,
    STACK_SIZE,
    Base,
    RefState,
    Reg,
    SlotKind,
    StackSlot,
    State,
)

IRQ = "irq"  # RefState.kind of a saved irq state


def irq_regions(st: State) -> int:
    """How many irq states are saved (nonzero: an IRQ-disabled region)."""
    return sum(1 for r in st.refs if r.kind == IRQ)


def flag_arg(env: Env, st: State, idx: int, spec: KfuncSpec, i: int, reg: Reg) -> State:
    """``KF_ARG_PTR_TO_IRQ_FLAG``: save into an uninitialised slot or restore from an
    initialised one."""
    table = env.profile.table
    save = table.in_family(spec.btf_id, Family.IRQ_SAVE)
    if not save and not table.in_family(spec.btf_id, Family.IRQ_RESTORE):
        raise Unsupported("irq flag argument of a kfunc that neither saves nor restores", idx)
    lock_class = table.in_family(spec.btf_id, Family.RES_SPIN_LOCK)  # IRQ_LOCK_KFUNC
    if reg.base is not Base.PTR_TO_STACK:
        raise Reject(Msg.IRQ_NOT_STACK, i, insn=idx)
    if not reg.s.is_const() or reg.frameno != len(st.frames) - 1:
        raise Unsupported("irq flag at a variable offset or in a caller's stack", idx)
    start = reg.s.value + reg.off
    if start % SLOT or not -STACK_SIZE <= start < 0:
        raise Unsupported(f"irq flag at stack offset {start}", idx)
    spi = -start // SLOT - 1
    frame = st.frames[reg.frameno]
    slot = frame.stack.get(spi, StackSlot())
    flagged = SlotKind.IRQ_FLAG in slot.kinds
    stack = dict(frame.stack)
    if save:
        if flagged:
            raise Reject(Msg.IRQ_EXPECTED_UNINIT, i, insn=idx)
        ref = env.new_id()
        stack[spi] = StackSlot((SlotKind.IRQ_FLAG,) * SLOT, Reg(Base.SCALAR, ref_obj_id=ref),
                               irq_lock=lock_class)
        frame = replace(frame, stack=stack)
        env.stack_depth[frame.subprog] = max(env.stack_depth[frame.subprog], -start)
        st = st.with_frame_at(reg.frameno, frame)
        return replace(st, refs=(*st.refs, RefState(ref, idx, IRQ)))
    if not flagged or slot.spilled is None:
        raise Reject(Msg.IRQ_EXPECTED_INIT, i, insn=idx)
    if slot.irq_lock != lock_class:
        raise Reject(Msg.IRQ_CLASS, *(("lock" if c else "native") for c in (slot.irq_lock,
                                                                            lock_class)),
                     insn=idx)
    ref = slot.spilled.ref_obj_id
    latest = next((r for r in reversed(st.refs) if r.kind == IRQ), None)
    if latest is None:
        raise Unsupported("irq flag without a saved irq state", idx)
    if latest.id != ref:
        raise Reject(Msg.IRQ_OUT_OF_ORDER, latest.id, latest.insn, insn=idx)
    stack[spi] = StackSlot()
    frame = replace(frame, stack=stack)
    st = st.with_frame_at(reg.frameno, frame)
    return replace(st, refs=tuple(r for r in st.refs if r.id != ref))

"""Dynptrs on the stack (``process_dynptr_func``): a constructor (an uninitialised dynptr
argument, ``MEM_UNINIT``) turns two stack slots into a dynptr of a type; readers need an
initialised one (of their type, if they name one); a ringbuf dynptr holds a reference until it
is submitted or discarded; a store into a dynptr's slot destroys it (``cannot overwrite
referenced dynptr`` for a ringbuf one) and every slice of it (``PTR_TO_MEM`` carrying its id).
Only ``PTR_TO_STACK`` dynptrs of the current or a caller's frame are modelled, and the
``CONST_PTR_TO_DYNPTR`` a callback is given (``set_user_ringbuf_callback_state``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kfcheck.verifier.env import Env
from kfcheck.verifier.mem import access, destroy_dynptr
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import (
    SLOT,
    STACK_SIZE,
    TF,
    Base,
    DynptrInfo,
    DynType,
    RefState,
    Reg,
    SlotKind,
    StackSlot,
    State,
    pointer,
    release_reference,
)

NR_SLOTS = 2  # BPF_DYNPTR_NR_SLOTS
SIZE = NR_SLOTS * SLOT  # BPF_DYNPTR_SIZE
PKT_TYPES = frozenset({DynType.SKB, DynType.XDP, DynType.SKB_META})
_ERANGE = -1


@dataclass(frozen=True, slots=True)
class Arg:
    """An ``ARG_PTR_TO_DYNPTR`` argument: ``uninit`` (``MEM_UNINIT``: a constructor's), the
    type it makes or expects (None: any), and the reference a clone shares."""

    uninit: bool = False
    type: DynType | None = None
    clone_ref: int = 0


def get_spi(reg: Reg) -> int:
    """``dynptr_get_spi``: the first slot's index, ``_ERANGE`` when the dynptr would lie
    outside the stack; a bad offset is a ``Reject`` (its line, then the caller's)."""
    if not reg.s.is_const():
        raise Reject(Msg.DYNPTR_VAR_OFF)
    off = reg.off + reg.s.value
    if off >= 1 << 63:
        off -= 1 << 64
    if off % SLOT:
        raise Reject(Msg.DYNPTR_OFFSET, off)
    spi = (-off - 1) // SLOT
    if spi + 1 < NR_SLOTS:
        raise Reject(Msg.DYNPTR_OFFSET, off)
    if spi >= STACK_SIZE // SLOT:
        return _ERANGE
    return spi


def _slots(st: State, reg: Reg, spi: int) -> tuple[StackSlot, StackSlot]:
    stack = st.frames[reg.frameno].stack
    return stack.get(spi, StackSlot()), stack.get(spi - 1, StackSlot())


def initialized(st: State, reg: Reg, spi: int) -> DynptrInfo | None:
    """``is_dynptr_reg_valid_init``: the dynptr whose first slot is ``spi``, if any."""
    if spi == _ERANGE:
        return None
    first, second = _slots(st, reg, spi)
    if first.dynptr is None or not first.dynptr.first:
        return None
    if any(k is not SlotKind.DYNPTR for k in (*first.kinds, *second.kinds)):
        return None
    return first.dynptr


def process(env: Env, st: State, idx: int, regno: int, arg: Arg) -> tuple[State, DynptrInfo]:
    """``process_dynptr_func`` on a ``PTR_TO_STACK`` register: (state, the dynptr made or
    read)."""
    reg = st.reg(regno)
    if reg.base is Base.CONST_PTR_TO_DYNPTR:
        return st, _const(reg, idx, regno, arg)
    if reg.base is not Base.PTR_TO_STACK:
        raise Reject(Msg.DYNPTR_NOT_STACK, regno - 1, insn=idx)
    if reg.frameno >= len(st.frames):
        raise Unsupported("a dynptr in an unknown frame", idx)
    if arg.uninit:
        try:
            spi = get_spi(reg)
        except Reject as exc:
            raise Reject(Msg.DYNPTR_NOT_UNINIT, insn=idx, before=exc.text) from exc
        for off in range(0, SIZE, SLOT):
            st, _ = access(env, st, idx, regno, off, SLOT, True, None, -1)
        assert arg.type is not None and spi != _ERANGE
        return _mark(env, st, idx, reg, spi, arg)
    try:
        spi = get_spi(reg)
        before = ""
    except Reject as exc:
        spi, before = _ERANGE, exc.text
    info = initialized(st, reg, spi)
    if info is None:
        raise Reject(Msg.DYNPTR_NOT_INIT, regno - 1, insn=idx, before=before)
    if arg.type is not None and info.type is not arg.type:
        raise Reject(Msg.DYNPTR_TYPE, arg.type.text, regno - 1, insn=idx)
    return st, info


def _const(reg: Reg, idx: int, regno: int, arg: Arg) -> DynptrInfo:
    """A ``CONST_PTR_TO_DYNPTR`` (a callback's dynptr argument, always LOCAL): initialised,
    never a constructor's argument."""
    if arg.uninit:
        raise Reject(Msg.DYNPTR_NOT_UNINIT, insn=idx)
    if arg.type is not None and arg.type is not DynType.LOCAL:
        raise Reject(Msg.DYNPTR_TYPE, arg.type.text, regno - 1, insn=idx)
    return DynptrInfo(DynType.LOCAL, True, reg.id)


def _mark(env: Env, st: State, idx: int, reg: Reg, spi: int,
          arg: Arg) -> tuple[State, DynptrInfo]:
    """``mark_stack_slots_dynptr``: both slots hold the new dynptr (a ringbuf one acquires a
    reference, or shares its parent's)."""
    assert arg.type is not None
    st = destroy_dynptr(st, reg.frameno, spi, idx)
    st = destroy_dynptr(st, reg.frameno, spi - 1, idx)
    dyn_id = env.new_id()
    ref = 0
    if arg.type is DynType.RINGBUF:
        ref = arg.clone_ref
        if not ref:
            ref = env.new_id()
            st = replace(st, refs=(*st.refs, RefState(ref, idx)))
    frame = st.frames[reg.frameno]
    stack = dict(frame.stack)
    kinds = (SlotKind.DYNPTR,) * SLOT
    stack[spi] = StackSlot(kinds, dynptr=DynptrInfo(arg.type, True, dyn_id, ref))
    stack[spi - 1] = StackSlot(kinds, dynptr=DynptrInfo(arg.type, False, dyn_id, ref))
    st = st.with_frame_at(reg.frameno, replace(frame, stack=stack))
    return st, stack[spi].dynptr  # type: ignore[return-value]


def release(st: State, reg: Reg, info: DynptrInfo) -> State:
    """``unmark_stack_slots_dynptr`` for a release (ringbuf submit or discard): the
    reference, every register holding it, and every dynptr (clones) sharing it are gone."""
    st = release_reference(st, info.ref_obj_id)
    frame = st.frames[reg.frameno]
    stack = dict(frame.stack)
    for spi, slot in frame.stack.items():
        if slot.dynptr is not None and slot.dynptr.ref_obj_id == info.ref_obj_id:
            stack[spi] = StackSlot()
    return st.with_frame_at(reg.frameno, replace(frame, stack=stack))


def unacquired(st: State, reg: Reg) -> bool:
    """The release check of a dynptr argument: no reference in the slot it points to."""
    try:
        spi = get_spi(reg)
    except Reject:
        return True
    if spi == _ERANGE or reg.frameno >= len(st.frames):
        return True
    slot = st.frames[reg.frameno].stack.get(spi, StackSlot())
    if slot.dynptr is not None:
        return not slot.dynptr.ref_obj_id
    return not (slot.spilled is not None and slot.spilled.ref_obj_id)


def slice_reg(info: DynptrInfo, size: int, flags: TF) -> Reg:
    """A slice of the dynptr: ``PTR_TO_MEM`` of ``size`` bytes carrying its id."""
    if info.type in PKT_TYPES:
        flags |= TF.DYNPTR_PKT
    return pointer(Base.PTR_TO_MEM, flags, mem_size=size, dynptr_id=info.id)

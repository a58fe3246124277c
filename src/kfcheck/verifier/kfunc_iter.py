"""Open-coded iterators (``process_iter_arg``, ``process_iter_next_call``): a ``KF_ITER_NEW``
kfunc turns uninitialised stack slots into an active iterator (a reference); ``KF_ITER_NEXT``
forks the path into the drained iterator (R0 NULL) and one more active iteration (R0 not
NULL, depth + 1, scalars that differ from the previous iteration widened); ``KF_ITER_DESTROY``
releases it. The iterator type is the ``struct bpf_iter_<type>`` the argument points to."""

from __future__ import annotations

from dataclasses import replace

from kfcheck.btf import Kind
from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import Op
from kfcheck.profile.kfuncs.schema import (
    ITER_FLAGS,
    ITER_PREFIX,
    Annotation,
    Family,
    KfFlag,
    KfuncSpec,
)
from kfcheck.uapi import AttachType, ProgType
from kfcheck.verifier import btfptr
from kfcheck.verifier.env import Env
from kfcheck.verifier.mem import helper_mem
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import (
    SLOT,
    STACK_SIZE,
    TF,
    Base,
    IterInfo,
    IterState,
    RefState,
    Reg,
    SlotKind,
    StackSlot,
    State,
    const,
    release_reference,
)


def is_iter_arg(spec: KfuncSpec, i: int) -> bool:
    """``is_kfunc_arg_iter``: argument 0 of an iterator kfunc, or an ``__iter`` argument."""
    return (bool(spec.flags & ITER_FLAGS) and i == 0) or spec.args[i].annotation is Annotation.ITER


def is_iter_next(env: Env, insn: Insn) -> bool:
    """Whether ``insn`` calls a ``KF_ITER_NEXT`` kfunc (a forced checkpoint)."""
    if insn.op is not Op.CALL_KFUNC or insn.off:
        return False
    spec = env.profile.table.kfunc(insn.imm)
    return spec is not None and spec.has(KfFlag.KF_ITER_NEXT)


def _css_task_ok(env: Env) -> bool:
    """``check_css_task_iter_allowlist``: LSM and iterator programs, or sleepable ones."""
    program = env.program
    if program.prog_type is ProgType.LSM:
        return True
    if (program.prog_type is ProgType.TRACING
            and program.expected_attach_type == AttachType.TRACE_ITER):
        return True
    return program.sleepable


def _iter_type(env: Env, spec: KfuncSpec, i: int, idx: int) -> tuple[int, str, int]:
    """``btf_check_iter_arg``: (struct id, type name without ``bpf_iter_``, slots)."""
    btf = env.profile.btf
    ptr = btf[btf.resolve(spec.args[i].type_id)]
    t = btf[btf.resolve(ptr.type)] if ptr.kind is Kind.PTR and ptr.type else None
    if (t is None or t.kind is not Kind.STRUCT or not t.name.startswith(ITER_PREFIX)
            or len(t.name) == len(ITER_PREFIX) or not t.size or t.size % SLOT):
        raise Reject(Msg.ITER_NOT_VALID, i, insn=idx)
    return t.id, t.name[len(ITER_PREFIX):], t.size // SLOT


def iter_arg(env: Env, st: State, idx: int, spec: KfuncSpec, i: int,
             reg: Reg) -> tuple[State, tuple[int, int] | None, int]:
    """``KF_ARG_PTR_TO_ITER``: (state, (frame, slot) of the iterator for a next call, the
    iterator's reference id)."""
    regno = i + 1
    if reg.base is not Base.PTR_TO_STACK:
        if reg.off or not reg.s.is_const() or reg.s.value:  # check_func_arg_reg_off
            raise Unsupported(f"{reg.type_name} with an offset passed as an iterator", idx)
    if env.profile.table.in_family(spec.btf_id, Family.ITER_CSS_TASK) and not _css_task_ok(env):
        raise Reject(Msg.CSS_TASK_ITER, insn=idx)
    if reg.base is not Base.PTR_TO_STACK:
        raise Reject(Msg.ITER_NOT_STACK, i, insn=idx)
    btf_id, name, nr_slots = _iter_type(env, spec, i, idx)
    if not reg.s.is_const() or reg.frameno != len(st.frames) - 1:
        raise Unsupported("iterator at a variable offset or in a caller's stack", idx)
    off = reg.off + reg.s.value
    if off % SLOT or not -STACK_SIZE <= off < 0 or (-off - 1) // SLOT + 1 < nr_slots:
        raise Unsupported(f"iterator at stack offset {off}", idx)
    spi = (-off - 1) // SLOT
    frame = st.frames[reg.frameno]
    slots = [frame.stack.get(spi - k, StackSlot()) for k in range(nr_slots)]
    if spec.has(KfFlag.KF_ITER_NEW):
        if any(SlotKind.ITER in s.kinds for s in slots):
            raise Reject(Msg.ITER_EXPECTED_UNINIT, name, i, insn=idx)
        st = helper_mem(env, st, idx, regno, nr_slots * SLOT, write=True)
        ref = env.new_id()
        flags = TF.NONE
        if spec.has(KfFlag.KF_RCU_PROTECTED):
            flags = TF.RCU if btfptr.in_rcu_cs(env, st) else TF.UNTRUSTED
        frame = st.frames[reg.frameno]
        stack = dict(frame.stack)
        for k in range(nr_slots):
            spilled = Reg(Base.PTR_TO_STACK, ref_obj_id=ref if k == 0 else 0)
            stack[spi - k] = StackSlot((SlotKind.ITER,) * SLOT, spilled,
                                       IterInfo(btf_id, flags=flags))
        st = st.with_frame_at(reg.frameno, replace(frame, stack=stack))
        return replace(st, refs=(*st.refs, RefState(ref, idx))), None, 0
    for k, s in enumerate(slots):
        first = k == 0
        if s.iter is not None and s.iter.flags & TF.UNTRUSTED:
            raise Reject(Msg.ITER_RCU, spec.name, insn=idx)
        if (any(kind is not SlotKind.ITER for kind in s.kinds) or s.iter is None
                or s.spilled is None or s.iter.btf_id != btf_id
                or bool(s.spilled.ref_obj_id) != first):
            raise Reject(Msg.ITER_EXPECTED_INIT, name, i, insn=idx)
    head = slots[0].spilled
    assert head is not None
    ref = head.ref_obj_id
    if spec.has(KfFlag.KF_ITER_DESTROY):
        stack = dict(frame.stack)
        for k in range(nr_slots):
            stack[spi - k] = StackSlot()
        st = st.with_frame_at(reg.frameno, replace(frame, stack=stack))
        st = release_reference(st, ref)
    elif not spec.has(KfFlag.KF_ITER_NEXT):
        raise Unsupported("kfuncs taking an iterator that is not theirs", idx)
    return st, (reg.frameno, spi), ref


def next_states(st: State, where: tuple[int, int]) -> list[State]:
    """``process_iter_next_call``: the drained path first (R0 NULL), then, for an active
    iterator, one more iteration (depth + 1, R0 not NULL)."""
    frameno, spi = where
    frame = st.frames[frameno]
    slot = frame.stack[spi]
    assert slot.iter is not None
    r0 = st.reg(0)
    out = [_with_iter(st, frameno, spi, replace(slot.iter, state=IterState.DRAINED)).with_reg(
        0, const(0))]
    if slot.iter.state is IterState.ACTIVE:
        more = _with_iter(st, frameno, spi, replace(slot.iter, depth=slot.iter.depth + 1))
        out.append(_not_null(more, r0.id))
    return out


def _with_iter(st: State, frameno: int, spi: int, info: IterInfo) -> State:
    frame = st.frames[frameno]
    stack = dict(frame.stack)
    stack[spi] = replace(stack[spi], iter=info)
    return st.with_frame_at(frameno, replace(frame, stack=stack))


def _not_null(st: State, reg_id: int) -> State:
    """``mark_ptr_not_null_reg`` of R0 (the one register holding the new pointer)."""
    r0 = st.reg(0)
    if r0.base is Base.SCALAR:
        return st
    return st.with_reg(0, replace(r0, flags=r0.flags & ~TF.MAYBE_NULL))


def active_depths_differ(old: State, cur: State) -> bool:
    """``iter_active_depths_differ``: an active iterator of ``old`` has another depth in
    ``cur``."""
    for fo, fc in zip(old.frames, cur.frames, strict=False):
        for spi, slot in fo.stack.items():
            if slot.iter is None or slot.iter.state is not IterState.ACTIVE:
                continue
            other = fc.stack.get(spi)
            if other is None or other.iter is None or other.iter.depth != slot.iter.depth:
                return True
    return False


def next_iter_active(env: Env, st: State) -> bool:
    """At an iter_next call: whether the iterator R1 points to is active."""
    reg = st.reg(1)
    if reg.base is not Base.PTR_TO_STACK or not reg.s.is_const():
        return False
    spi = (-(reg.off + reg.s.value) - 1) // SLOT
    frame = st.frames[reg.frameno] if reg.frameno < len(st.frames) else None
    slot = frame.stack.get(spi) if frame is not None else None
    return slot is not None and slot.iter is not None and slot.iter.state is IterState.ACTIVE



def rcu_ended(st: State) -> State:
    """The end of an RCU read-side section: RCU iterators become untrusted."""
    frames = []
    for frame in st.frames:
        stack = {spi: (replace(s, iter=replace(s.iter, flags=TF.UNTRUSTED))
                       if s.iter is not None and s.iter.flags & TF.RCU else s)
                 for spi, s in frame.stack.items()}
        frames.append(replace(frame, stack=stack))
    return replace(st, frames=tuple(frames))


def next_ret_flags(st: State, where: tuple[int, int]) -> TF:
    """The trust of a struct pointer an iterator's next call returns: RCU from an RCU
    iterator, else trusted."""
    frameno, spi = where
    info = st.frames[frameno].stack[spi].iter
    assert info is not None
    return TF.RCU if info.flags & TF.RCU else TF.TRUSTED

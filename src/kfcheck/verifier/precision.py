"""Scalar precision (``mark_chain_precision``): when a scalar's exact value decides something
(a branch known taken, a pointer offset, a size, a return value), the verifier walks the
path back to where the value came from and marks the registers and spilled slots that held
it *precise* in every checkpoint on the way. Pruning compares only precise scalars of a
checkpoint, and loops widen only imprecise ones, so the marks decide how far the kernel
unrolls a loop. The current state is never marked; a new checkpoint starts imprecise."""

from __future__ import annotations

from dataclasses import replace as _replace

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import InsnClass, Op
from kfcheck.verifier.env import Env
from kfcheck.verifier.equiv import IdMap, regs_exact
from kfcheck.verifier.messages import Unsupported
from kfcheck.verifier.path import (
    DST_REG_STACK,
    SRC_REG_STACK,
    STACK_ACCESS,
    Checkpoint,
    Hist,
    Linked,
    Path,
)
from kfcheck.verifier.state import FP, SCALAR_UNKNOWN, Base, Reg, SlotKind, StackSlot, State

_ARGS = 0b111110  # R1-R5
_MAX_FRAMES = 8
_MOVES = (Op.MOV, Op.MOVSX, Op.ADDR_SPACE_CAST)
_NO_SOURCE = (Op.NEG, Op.END_LE, Op.END_BE, Op.BSWAP)
_JMP = (InsnClass.JMP, InsnClass.JMP32)


class _NotSupp(Exception):
    """``-ENOTSUPP`` from backtracking: every scalar of the path becomes precise."""


class _Bt:
    """``backtrack_state``: the registers and slots still to trace, per frame."""

    __slots__ = ("frame", "regs", "stack", "changed")

    def __init__(self, frame: int) -> None:
        self.frame = frame
        self.regs = [0] * _MAX_FRAMES
        self.stack = [0] * _MAX_FRAMES
        self.changed = False  # a checkpoint got a new mark

    def empty(self) -> bool:
        return not any(self.regs) and not any(self.stack)

    def has(self, regno: int) -> bool:
        return bool(self.regs[self.frame] >> regno & 1)

    def set(self, regno: int, frame: int | None = None) -> None:
        self.regs[self.frame if frame is None else frame] |= 1 << regno

    def clear(self, regno: int) -> None:
        self.regs[self.frame] &= ~(1 << regno)

    def sync_linked(self, linked: tuple[Linked, ...]) -> None:
        """``bt_sync_linked_regs``: one traced member of a linked set traces them all."""
        if not any((self.regs if is_reg else self.stack)[fr] >> n & 1
                   for fr, n, is_reg in linked):
            return
        for fr, n, is_reg in linked:
            if is_reg:
                self.regs[fr] |= 1 << n
            else:
                self.stack[fr] |= 1 << n


def mark(env: Env, st: State, regno: int) -> None:
    """``mark_chain_precision`` of the current frame's register ``regno``."""
    path = env.path
    if path is None or st.frames[-1].regs[regno].base is not Base.SCALAR:
        return
    bt = _Bt(len(st.frames) - 1)
    bt.set(regno)
    _mark_chain(env, path, bt)


def mark_slot(env: Env, st: State, frameno: int, spi: int) -> None:
    """``mark_chain_precision_batch`` of one stack slot (a map key's spilled constant)."""
    path = env.path
    if path is None:
        return
    bt = _Bt(len(st.frames) - 1)
    bt.stack[frameno] |= 1 << spi
    _mark_chain(env, path, bt)


def propagate(env: Env, old: State, path: Path) -> bool:
    """``propagate_precision``: ``path`` reached a checkpoint ``old`` that covers it; what is
    precise there must be precise on the way here too. Whether a mark was added."""
    bt = _Bt(len(old.frames) - 1)
    log = env.log
    for fr in range(len(old.frames) - 1, -1, -1):
        frame = old.frames[fr]
        names = []
        for i, reg in enumerate(frame.regs[:FP]):
            if reg.base is Base.SCALAR and reg.precise:
                bt.regs[fr] |= 1 << i
                names.append(f"r{i}")
        for spi in sorted(frame.stack):
            slot = frame.stack[spi]
            if _spilled_scalar(slot) and slot.spilled is not None and slot.spilled.precise:
                bt.stack[fr] |= 1 << spi
                names.append(f"fp{-8 * (spi + 1)}")
        if log is not None and names:
            log.emit(f"frame {fr}: propagating " + ",".join(names))
    if not bt.empty():
        _mark_chain(env, path, bt)
    return bt.changed


def _mark_chain(env: Env, path: Path, bt: _Bt) -> None:
    """``__mark_chain_precision`` from the current instruction of ``path``."""
    log = env.log
    first, last, subseq = path.first, path.insn, -1
    hist = path.hist
    cp: Checkpoint | None = None  # None: the path's own instructions
    skip_first = True
    while True:
        if log is not None:
            log.emit(f"mark_precise: frame{bt.frame}: last_idx {last} first_idx {first} "
                     f"subseq_idx {subseq} ")
        if last < 0:
            _func_entry(cp, bt)
            return
        i = last
        while True:
            if skip_first:
                skip_first = False
            else:
                ent = hist if hist is not None and hist.idx == i else None
                try:
                    _backtrack_insn(env, i, subseq, ent, bt)
                except _NotSupp:
                    mark_all(env, path)
                    return
            if bt.empty():
                return
            subseq = i
            if i == first and (hist is None or (hist.below is None and hist.idx == i)):
                break
            if hist is not None and hist.idx == i:
                i, hist = hist.prev, hist.below
            else:
                i -= 1
            if i < 0 or i >= len(env.insns):
                raise Unsupported("precision backtracking past the program", path.insn)
        cp = path.parent if cp is None else cp.parent
        if cp is None:
            break
        _mark_checkpoint(env, cp, bt)
        if bt.empty():
            return
        subseq, last, first, hist = first, cp.last, cp.first, cp.hist
    if not bt.empty():
        mark_all(env, path)


def _func_entry(cp: Checkpoint | None, bt: _Bt) -> None:
    """The first checkpoint of a global function verified on its own: its arguments are
    where the traced values came from."""
    if (cp is None or len(cp.state.frames) != 1 or any(bt.stack) or bt.regs[0] & ~_ARGS
            or any(bt.regs[1:])):
        raise Unsupported("precision backtracking into a function's entry", None)
    frame = cp.state.frames[0]
    regs = list(frame.regs)
    for i in range(1, 6):
        if bt.regs[0] >> i & 1 and regs[i].base is Base.SCALAR:
            regs[i] = _replace(regs[i], precise=True)
            bt.changed = True
    cp.state = cp.state.with_frame_at(0, _replace(frame, regs=tuple(regs)))
    bt.regs[0] = 0


def _spilled_scalar(slot: StackSlot) -> bool:
    """``is_spilled_scalar_reg``."""
    return (slot.kinds[-1] is SlotKind.SPILL and slot.spilled is not None
            and slot.spilled.base is Base.SCALAR)


def _mark_checkpoint(env: Env, cp: Checkpoint, bt: _Bt) -> None:
    """Mark the traced registers and slots precise in ``cp``'s state; those already precise
    (or not scalars) need no further tracing."""
    st = cp.state
    log = env.log
    for fr in range(bt.frame, -1, -1):
        if fr >= len(st.frames):
            raise Unsupported("precision backtracking into a frame the checkpoint lacks", None)
        frame = st.frames[fr]
        regs: list[Reg] | None = None
        for i in range(FP + 1):
            if not bt.regs[fr] >> i & 1:
                continue
            reg = frame.regs[i]
            if reg.base is not Base.SCALAR or reg.precise:
                bt.regs[fr] &= ~(1 << i)
            else:
                regs = regs or list(frame.regs)
                regs[i] = _replace(reg, precise=True)
                bt.changed = True
        stack: dict[int, StackSlot] | None = None
        for spi in range(64):
            if not bt.stack[fr] >> spi & 1:
                continue
            slot = frame.stack.get(spi)
            if slot is None or not _spilled_scalar(slot):
                bt.stack[fr] &= ~(1 << spi)
                continue
            assert slot.spilled is not None
            if slot.spilled.precise:
                bt.stack[fr] &= ~(1 << spi)
            else:
                stack = stack if stack is not None else dict(frame.stack)
                stack[spi] = _replace(slot, spilled=_replace(slot.spilled, precise=True))
                bt.changed = True
        if regs is not None or stack is not None:
            frame = _replace(frame, regs=tuple(regs) if regs is not None else frame.regs,
                             stack=stack if stack is not None else frame.stack)
            st = st.with_frame_at(fr, frame)
        if log is not None:
            log.emit(f"mark_precise: frame{fr}: parent state regs={_regs_text(bt.regs[fr])} "
                     f"stack={_stack_text(bt.stack[fr])}: " + log.frame(st, fr, True))
    cp.state = st


def mark_all(env: Env, path: Path) -> None:
    """``mark_all_scalars_precise``: every scalar of every checkpoint on the path."""
    log = env.log
    if log is not None:
        log.emit(f"mark_precise: frame{len(path.state.frames) - 1}: falling back to forcing "
                 "all scalars precise")
    cp = path.parent
    while cp is not None:
        st = cp.state
        for fr, frame in enumerate(st.frames):
            regs = list(frame.regs)
            for i, reg in enumerate(regs[:FP]):
                if reg.base is Base.SCALAR and not reg.precise:
                    regs[i] = _replace(reg, precise=True)
                    if log is not None:
                        log.emit(f"force_precise: frame{fr}: forcing r{i} to be precise")
            stack = dict(frame.stack)
            for spi in sorted(stack):
                slot = stack[spi]
                if (slot.kinds[-1] is SlotKind.SPILL and slot.spilled is not None
                        and slot.spilled.base is Base.SCALAR and not slot.spilled.precise):
                    stack[spi] = _replace(slot, spilled=_replace(slot.spilled, precise=True))
                    if log is not None:
                        log.emit(f"force_precise: frame{fr}: forcing fp{-8 * (spi + 1)} to "
                                 "be precise")
            st = st.with_frame_at(fr, _replace(frame, regs=tuple(regs), stack=stack))
        cp.state = st
        cp = cp.parent


def _regs_text(mask: int) -> str:
    return ",".join(f"r{i}" for i in range(11) if mask >> i & 1)


def _stack_text(mask: int) -> str:
    return ",".join(str(-8 * (i + 1)) for i in range(64) if mask >> i & 1)


def _backtrack_insn(env: Env, idx: int, subseq: int, ent: Hist | None, bt: _Bt) -> None:
    """``backtrack_insn``: what the traced set was before instruction ``idx``."""
    insn = env.insns[idx]
    if insn is None:  # an ld_imm64's second slot
        return
    log = env.log
    if log is not None:
        log.emit(f"mark_precise: frame{bt.frame}: regs={_regs_text(bt.regs[bt.frame])} "
                 f"stack={_stack_text(bt.stack[bt.frame])} before {idx}: "
                 + log.insn_text(insn))
    linked = ent.linked if ent is not None else ()
    bt.sync_linked(linked)
    flags = ent.flags if ent is not None else 0
    cls, op, dst, src = insn.cls, insn.op, insn.dst, insn.src
    if cls in (InsnClass.ALU, InsnClass.ALU64):
        if not bt.has(dst):
            return
        if op in _NO_SOURCE:
            pass
        elif op in _MOVES:
            bt.clear(dst)
            if insn.uses_reg_source and src != FP:
                bt.set(src)
        elif insn.uses_reg_source and src != FP:
            bt.set(src)
    elif cls is InsnClass.LDX or op is Op.LOAD_ACQ:
        if not bt.has(dst):
            return
        bt.clear(dst)
        if not flags & STACK_ACCESS:
            return
        bt.stack[flags & 7] |= 1 << (flags >> 3 & 63)
    elif cls in (InsnClass.STX, InsnClass.ST):
        if bt.has(dst):
            raise _NotSupp
        if not flags & STACK_ACCESS:
            return
        fr, spi = flags & 7, flags >> 3 & 63
        if not bt.stack[fr] >> spi & 1:
            return
        bt.stack[fr] &= ~(1 << spi)
        if cls is InsnClass.STX:
            bt.set(src)
    elif cls in _JMP:
        if op is Op.CALL_SUBPROG:
            _subprog_call(env, insn, bt)
            return
        if op in (Op.CALL_HELPER, Op.CALL_KFUNC) and idx in env.callback_calls \
                and idx != subseq - 1:
            _leave_frame(bt, "callback")  # back from the callback's first instruction
            return
        if op in (Op.CALL_HELPER, Op.CALL_KFUNC):
            if op is Op.CALL_KFUNC and insn.imm == 0:
                raise _NotSupp
            bt.clear(0)
            if bt.regs[bt.frame] & _ARGS:
                raise Unsupported("precision backtracking: arguments traced past a call", idx)
        elif op is Op.EXIT:
            _exit(env, subseq, bt)
            return
        elif insn.uses_reg_source and op not in (Op.JA, Op.GOTOL, Op.MAY_GOTO):
            if not bt.has(dst) and not bt.has(src):
                return
            if not flags & SRC_REG_STACK:
                bt.set(src)
            if not flags & DST_REG_STACK:
                bt.set(dst)
    elif op is Op.LD_IMM64:
        if not bt.has(dst):
            return
        bt.clear(dst)
    elif cls is InsnClass.LD:  # ld_abs, ld_ind write R0
        if bt.has(0):
            raise _NotSupp
    bt.sync_linked(linked)


def _subprog_call(env: Env, insn: Insn, bt: _Bt) -> None:
    """A bpf-to-bpf call: a global function's result comes from nowhere traceable; a static
    one's arguments came from the caller."""
    if insn.index + insn.imm + 1 in env.global_starts:
        if bt.regs[bt.frame] & _ARGS:
            raise Unsupported("precision backtracking: arguments of a global function", None)
        bt.clear(0)
        return
    if bt.regs[bt.frame] & ~_ARGS or bt.stack[bt.frame]:
        raise Unsupported("precision backtracking: callee state left at its call", None)
    args = bt.regs[bt.frame] & _ARGS
    bt.regs[bt.frame] = 0
    if bt.frame == 0:
        raise Unsupported("precision backtracking: a call in the first frame", None)
    bt.regs[bt.frame - 1] |= args
    bt.frame -= 1


def _leave_frame(bt: _Bt, what: str) -> None:
    """Back at the call that ran a callback: its arguments are not traced to the caller."""
    if bt.regs[bt.frame] & ~_ARGS or bt.stack[bt.frame] or bt.frame == 0:
        raise Unsupported(f"precision backtracking: {what} state left at its call", None)
    bt.regs[bt.frame] = 0
    bt.frame -= 1


def _exit(env: Env, subseq: int, bt: _Bt) -> None:
    """Back into a function from the instruction after its return: a static subprogram's
    R0 is traced into it."""
    if subseq >= 0 and subseq in env.callback_calls:
        bt.regs[bt.frame] &= ~_ARGS
    if bt.regs[bt.frame] & _ARGS:
        raise Unsupported("precision backtracking: arguments traced into a return", None)
    before = env.insns[subseq - 1] if subseq >= 1 else None
    r0 = before is not None and before.op is Op.CALL_SUBPROG and bt.has(0)
    bt.clear(0)
    if bt.frame + 1 >= _MAX_FRAMES:
        raise Unsupported("precision backtracking: too many frames", None)
    bt.frame += 1
    if r0:
        bt.set(0)


def widen(prev: State, cur: State) -> State:
    """``widen_imprecise_scalars``: at a loop's next iteration, the scalars of ``cur`` that
    differ from ``prev`` (the loop's previous checkpoint) become unknown unless precise
    there."""
    if len(prev.frames) != len(cur.frames):
        return cur
    ids = IdMap()
    for frameno in range(len(cur.frames) - 1, -1, -1):
        fp, fc = prev.frames[frameno], cur.frames[frameno]
        regs = tuple(_widen_reg(ro, rc, ids) for ro, rc in zip(fp.regs, fc.regs, strict=True))
        stack = dict(fc.stack)
        for spi in sorted(fc.stack):
            slot, old = fc.stack[spi], fp.stack.get(spi)
            if (old is None or old.spilled is None or slot.spilled is None
                    or old.kinds[-1] is not SlotKind.SPILL
                    or slot.kinds[-1] is not SlotKind.SPILL):
                continue
            stack[spi] = _replace(slot, spilled=_widen_reg(old.spilled, slot.spilled, ids))
        cur = cur.with_frame_at(frameno, _replace(fc, regs=regs, stack=stack))
    return cur


def _widen_reg(old: Reg, cur: Reg, ids: IdMap) -> Reg:
    """``maybe_widen_reg``."""
    if old.base is not Base.SCALAR or cur.base is not Base.SCALAR or old.precise:
        return cur
    if regs_exact(old, cur, ids):
        return cur
    return SCALAR_UNKNOWN

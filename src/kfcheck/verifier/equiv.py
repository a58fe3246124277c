"""State equivalence for pruning (``states_equal``): a state is safe at a checkpoint when the
checkpoint's (fully explored) state includes it. Exact comparison detects infinite loops."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from kfcheck.verifier.state import SLOT, Base, Reg, SlotKind, StackSlot, State

_EMPTY = StackSlot()


class IdMap:
    """``check_ids``: ids of the old state map one-to-one onto ids of the current one."""

    __slots__ = ("fwd", "back", "tmp")

    def __init__(self) -> None:
        self.fwd: dict[int, int] = {}
        self.back: dict[int, int] = {}
        self.tmp = 0

    def same_scalar(self, old: int, cur: int) -> bool:
        """``check_scalar_ids``: an id 0 (an unlinked scalar) is one of its own."""
        if not old:
            self.tmp -= 1
            old = self.tmp
        if not cur:
            self.tmp -= 1
            cur = self.tmp
        return self.same(old, cur)

    def same(self, old: int, cur: int) -> bool:
        if not old and not cur:
            return True
        if not old or not cur:
            return False
        if self.fwd.setdefault(old, cur) != cur:
            return False
        return self.back.setdefault(cur, old) == old


def _within(old: Reg, cur: Reg) -> bool:
    """``range_within`` and ``tnum_in``: every value ``cur`` may hold ``old`` may hold."""
    o, c = old.s, cur.s
    return (o.smin <= c.smin and c.smax <= o.smax and o.umin <= c.umin and c.umax <= o.umax
            and o.s32_min <= c.s32_min and c.s32_max <= o.s32_max
            and o.u32_min <= c.u32_min and c.u32_max <= o.u32_max
            and (c.value & ~o.mask) == o.value and not c.mask & ~o.mask)


class Exact(Enum):
    """How closely a current state must match a checkpoint (``enum exact_level``)."""

    NOT_EXACT = 0  # an imprecise scalar of the checkpoint matches any scalar
    RANGE_WITHIN = 1  # every scalar by range (loop convergence: marks may be incomplete)
    EXACT = 2  # identical up to id renaming (infinite-loop detection)


NOT_EXACT, RANGE_WITHIN, EXACT = Exact.NOT_EXACT, Exact.RANGE_WITHIN, Exact.EXACT


def regs_exact(old: Reg, cur: Reg, ids: IdMap) -> bool:
    """``regs_exact``: the same register up to id renaming (``ids`` kept across a state)."""
    return _regsafe(old, cur, ids, EXACT)


def _regsafe(old: Reg, cur: Reg, ids: IdMap, exact: Exact) -> bool:
    if old is cur and not (old.id or old.ref_obj_id or old.dynptr_id):
        return True  # the same register, shared by both states (no id to map)
    if exact is EXACT:
        return (old.base is cur.base and old.flags == cur.flags and old.s == cur.s
                and old.off == cur.off and old.map is cur.map and old.btf_id == cur.btf_id
                and old.mem_size == cur.mem_size and old.range == cur.range
                and old.frameno == cur.frameno and old.subprogno == cur.subprogno
                and ids.same(old.id, cur.id)
                and ids.same(old.ref_obj_id, cur.ref_obj_id)
                and ids.same(old.dynptr_id, cur.dynptr_id))
    if old.base is Base.NOT_INIT and (exact is NOT_EXACT or cur.base is Base.NOT_INIT):
        return True
    if old.base is not cur.base or old.flags != cur.flags:
        return False
    if old.base is Base.SCALAR:
        if not old.precise and exact is NOT_EXACT:
            return True
        return _within(old, cur) and ids.same_scalar(old.id, cur.id)
    if (old.off != cur.off or old.map is not cur.map or old.btf_id != cur.btf_id
            or old.mem_size != cur.mem_size or old.frameno != cur.frameno
            or old.subprogno != cur.subprogno):
        return False
    if old.base in (Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META) and old.range > cur.range:
        return False
    if not old.s.is_const() or not cur.s.is_const():
        if not _within(old, cur):
            return False
    elif old.s != cur.s:
        return False
    return (ids.same(old.id, cur.id) and ids.same(old.ref_obj_id, cur.ref_obj_id)
            and ids.same(old.dynptr_id, cur.dynptr_id))


def _stacksafe(old: dict[int, StackSlot], cur: dict[int, StackSlot], ids: IdMap,
               exact: Exact) -> bool:
    for spi in old.keys() | cur.keys():
        o, c = old.get(spi, _EMPTY), cur.get(spi, _EMPTY)
        if o is c and o.iter is None and o.dynptr is None and (
                o.spilled is None or not (o.spilled.id or o.spilled.ref_obj_id)):
            continue  # the same slot, shared by both states (no id to map)
        if o.iter is not None or c.iter is not None:  # depth is not compared
            if (o.iter is None or c.iter is None or o.kinds != c.kinds
                    or o.iter.btf_id != c.iter.btf_id or o.iter.state != c.iter.state
                    or o.iter.flags != c.iter.flags
                    or o.spilled is None or c.spilled is None
                    or not ids.same(o.spilled.ref_obj_id, c.spilled.ref_obj_id)):
                return False
            continue
        if o.dynptr is not None or c.dynptr is not None:
            if (o.dynptr is None or c.dynptr is None or o.kinds != c.kinds
                    or o.dynptr.type is not c.dynptr.type or o.dynptr.first != c.dynptr.first
                    or not ids.same(o.dynptr.id, c.dynptr.id)
                    or not ids.same(o.dynptr.ref_obj_id, c.dynptr.ref_obj_id)):
                return False
            continue
        if exact is EXACT:
            if o.kinds != c.kinds:
                return False
            if (o.spilled is None) != (c.spilled is None):
                return False
            if o.spilled is not None and c.spilled is not None and \
                    not _regsafe(o.spilled, c.spilled, ids, EXACT):
                return False
            continue
        if exact is RANGE_WITHIN and o.kinds != c.kinds:
            return False
        if (SlotKind.IRQ_FLAG in o.kinds or SlotKind.IRQ_FLAG in c.kinds) and (
                o.kinds != c.kinds or o.spilled is None or c.spilled is None
                or o.irq_lock != c.irq_lock
                or not ids.same(o.spilled.ref_obj_id, c.spilled.ref_obj_id)):
            return False
        if _UNKNOWN_BYTES.issuperset(o.kinds):
            continue
        old_reg = cur_reg = None
        for k, (ok, ck) in enumerate(zip(o.kinds, c.kinds, strict=True)):
            # uninitialised stack reads as unknown for a privileged loader: INVALID and MISC
            # bytes of the checkpoint match anything
            if ok in _UNKNOWN_BYTES:
                continue
            if old_reg is None:
                old_reg, cur_reg = _scalar_for_stack(o), _scalar_for_stack(c)
            if old_reg is not None and cur_reg is not None:
                # a 64-bit spilled scalar against a spilled scalar or unknown bytes
                if not _regsafe(old_reg, cur_reg, ids, exact):
                    return False
                break
            if ok is not ck:
                return False
            if k == SLOT - 1 and ok is SlotKind.SPILL and o.spilled is not None:
                if c.spilled is None or not _regsafe(o.spilled, c.spilled, ids, exact):
                    return False
    return True


_SPILL64 = (SlotKind.SPILL,) * SLOT
_UNKNOWN_BYTES = frozenset({SlotKind.MISC, SlotKind.INVALID})
_UNBOUND = Reg(Base.SCALAR)


def _scalar_for_stack(slot: StackSlot) -> Reg | None:
    """``scalar_reg_for_stack``: a 64-bit spilled scalar, or an unknown scalar for eight
    unknown (or uninitialised) bytes."""
    if slot.kinds == _SPILL64 and slot.spilled is not None and slot.spilled.is_scalar:
        return slot.spilled
    if _UNKNOWN_BYTES.issuperset(slot.kinds):
        return _UNBOUND
    return None


def states_equal(old: State, cur: State, exact: Exact,
                 live: Sequence[int] | None = None) -> bool:
    """Whether ``cur`` is covered by ``old`` as ``exact`` says; ``live`` per frame: the
    registers compared (``func_states_equal``), all when None."""
    if len(old.frames) != len(cur.frames) or len(old.refs) != len(cur.refs):
        return False
    if old.rcu != cur.rcu or old.preempt != cur.preempt:
        return False
    if len(old.res_locks) != len(cur.res_locks):
        return False
    ids = IdMap()
    if (old.lock is None) != (cur.lock is None):
        return False
    if old.lock is not None and cur.lock is not None:
        if old.lock[0] != cur.lock[0] or not ids.same(old.lock[1], cur.lock[1]):
            return False
    for lo, lc in zip(old.res_locks, cur.res_locks, strict=True):
        if lo.map != lc.map or lo.irq != lc.irq or not ids.same(lo.id, lc.id):
            return False
    for i, (fo, fc) in enumerate(zip(old.frames, cur.frames, strict=True)):
        if fo.callsite != fc.callsite or fo.callback_depth > fc.callback_depth:
            return False
        mask = -1 if live is None else live[i]
        for r, (ro, rc) in enumerate(zip(fo.regs, fc.regs, strict=True)):
            if mask >> r & 1 and not _regsafe(ro, rc, ids, exact):
                return False
        if not _stacksafe(fo.stack, fc.stack, ids, exact):
            return False
    return all(ids.same(ro.id, rc.id) for ro, rc in zip(old.refs, cur.refs, strict=True))

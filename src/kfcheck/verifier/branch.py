"""Conditional jumps (``check_cond_jmp_op``): branches known to be taken or not, scalar bounds
refined on both sides (and on the registers linked to them), NULL checks of maybe-NULL pointers,
and packet pointers compared with the packet end."""

from __future__ import annotations

from dataclasses import replace

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import JmpOp
from kfcheck.verifier import precision
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.btfptr import is_trusted
from kfcheck.verifier.env import Env
from kfcheck.verifier.mem import MAX_VAR_OFF, check_reg_read
from kfcheck.verifier.path import DST_REG_STACK, SRC_REG_STACK, Linked
from kfcheck.verifier.state import FP, TF, Base, Reg, SlotKind, State, const, map_regs, scalar

MAX_PACKET_OFF = 0xFFFF
Step = list[tuple[State, int]]


def do_cond_jmp(env: Env, st: State, insn: Insn) -> Step:
    """One conditional jump: the fall-through first (the kernel continues with it), then the
    target (pushed)."""
    idx = insn.index
    op = int(insn.code & 0xF0)
    is32 = insn.is_32bit
    target = idx + insn.off + 1
    if insn.uses_reg_source:
        src = check_reg_read(st, insn.src, idx)
    else:
        src = scalar(sc.Scalar.const(insn.imm & 0xFFFFFFFF) if is32 else sc.Scalar.imm(insn.imm))
    dst = check_reg_read(st, insn.dst, idx)
    _record_stack_operands(env, insn, dst, src)
    taken = _taken(op, dst, src, is32)
    if taken is not None:  # the outcome depends on the scalars' exact values
        precision.mark(env, st, insn.dst)
        if insn.uses_reg_source:
            precision.mark(env, st, insn.src)
        return [(st, target if taken else idx + 1)]
    linked = _linked(st, src if insn.uses_reg_source else None, dst)
    if len(linked) > 1 and env.path is not None:
        env.path.push_hist(0, linked)
    fall, jump = st, st
    if dst.is_scalar and src.is_scalar:
        if insn.uses_reg_source and insn.src == insn.dst:
            t, f = sc.refine_same(op, dst.s, is32)
            jump = _set_scalar(jump, insn.dst, dst, t)
            fall = _set_scalar(fall, insn.dst, dst, f)
        else:
            t1, t2, f1, f2 = sc.refine(op, dst.s, src.s, is32)
            jump = _set_scalar(jump, insn.dst, dst, t1)
            fall = _set_scalar(fall, insn.dst, dst, f1)
            if insn.uses_reg_source:
                jump = _set_scalar(jump, insn.src, src, t2)
                fall = _set_scalar(fall, insn.src, src, f2)
    elif (not is32 and not insn.uses_reg_source and insn.imm == 0
          and op in (JmpOp.JEQ, JmpOp.JNE) and dst.maybe_null):
        fall = _null_check(env, fall, dst, is_null=op == JmpOp.JNE)
        jump = _null_check(env, jump, dst, is_null=op == JmpOp.JEQ)
    elif insn.uses_reg_source and not is32:
        fall, jump = _pkt_compare(op, dst, src, fall, jump)
    return [(fall, idx + 1), (jump, target)]


def _record_stack_operands(env: Env, insn: Insn, dst: Reg, src: Reg) -> None:
    """A stack pointer compared is not traced back by precision (history flags)."""
    flags = 0
    if insn.uses_reg_source and src.base is Base.PTR_TO_STACK:
        flags |= SRC_REG_STACK
    if dst.base is Base.PTR_TO_STACK:
        flags |= DST_REG_STACK
    if flags and env.path is not None:
        env.path.push_hist(flags)


_LINKED_MAX = 6  # LINKED_REGS_MAX


def _linked(st: State, src: Reg | None, dst: Reg) -> tuple[Linked, ...]:
    """``collect_linked_regs``: the registers and spilled slots sharing the operands' scalar
    ids, which a precision mark of one extends to all."""
    out: list[Linked] = []
    for reg in (src, dst):
        if reg is None or reg.base is not Base.SCALAR or not reg.id:
            continue
        for fr in range(len(st.frames) - 1, -1, -1):
            frame = st.frames[fr]
            for i, r in enumerate(frame.regs[:FP]):
                if r.base is Base.SCALAR and r.id == reg.id:
                    _add_linked(out, (fr, i, True))
            for spi in sorted(frame.stack):
                slot = frame.stack[spi]
                r2 = slot.spilled
                if (r2 is not None and slot.kinds[-1] is SlotKind.SPILL
                        and r2.base is Base.SCALAR and r2.id == reg.id):
                    _add_linked(out, (fr, spi, False))
    return tuple(out)


def _add_linked(out: list[Linked], item: Linked) -> None:
    if item not in out and len(out) < _LINKED_MAX:
        out.append(item)


def _taken(op: int, dst: Reg, src: Reg, is32: bool) -> bool | None:
    """``is_branch_taken``."""
    if dst.is_scalar and src.is_scalar:
        return sc.branch_taken(op, dst.s, src.s, is32)
    ptr, other = (dst, src) if dst.is_pointer else (src, dst)
    if (other.is_null and _not_null(ptr)
            and not is32 and op in (JmpOp.JEQ, JmpOp.JNE)):
        return op == JmpOp.JNE
    return None


# reg_not_null: pointer types that are never NULL (BTF pointers only when trusted, read-only
# untrusted memory never)
_NOT_NULL = frozenset({Base.PTR_TO_SOCKET, Base.PTR_TO_TCP_SOCK, Base.PTR_TO_MAP_VALUE,
                       Base.PTR_TO_MAP_KEY, Base.PTR_TO_SOCK_COMMON, Base.PTR_TO_MEM,
                       Base.CONST_PTR_TO_MAP})


def _not_null(reg: Reg) -> bool:
    """``reg_not_null``: a pointer known not to be NULL (an unbounded offset may wrap it)."""
    if reg.maybe_null or reg.s.smin <= -MAX_VAR_OFF or reg.s.smax >= MAX_VAR_OFF:
        return False
    if reg.base is Base.PTR_TO_BTF_ID:
        return is_trusted(reg)
    if reg.base is Base.PTR_TO_MEM and reg.flags & TF.UNTRUSTED:
        return False
    return reg.base in _NOT_NULL


def _set_scalar(st: State, regno: int, old: Reg, value: sc.Scalar) -> State:
    """Refine a scalar register and every register linked to it (same id)."""
    if old.id:
        return map_regs(st, lambda r: replace(r, s=value)
                        if r.base is Base.SCALAR and r.id == old.id else r)
    return st.with_reg(regno, replace(old, s=value))


def _null_check(env: Env, st: State, reg: Reg, is_null: bool) -> State:
    """``mark_ptr_or_null_regs``: on one side of ``if ptr == 0`` every register sharing the
    pointer's id is NULL (a scalar 0; a reference it acquired is dropped), on the other it is
    not NULL."""
    rid = reg.id

    def mark(r: Reg) -> Reg:
        if r.id != rid or not r.maybe_null:
            return r
        if is_null:
            return const(0)
        # a map value with a lock keeps its id: it names the lock (reg_may_point_to_spin_lock)
        keep_id = (r.base is Base.PTR_TO_MAP_VALUE and r.map is not None
                   and any(name in _LOCKS for _, _, name in env.map_fields(r.map)))
        return replace(r, flags=r.flags & ~TF.MAYBE_NULL, id=r.id if keep_id else 0)

    st = map_regs(st, mark)
    if is_null and reg.ref_obj_id and reg.ref_obj_id == rid:  # not a cast or a slice
        st = replace(st, refs=tuple(x for x in st.refs if x.id != reg.ref_obj_id))
    return st


_LOCKS = frozenset({"bpf_spin_lock", "bpf_res_spin_lock"})


def _good_pkt(st: State, reg: Reg, right_open: bool) -> State:
    """``find_good_pkt_pointers``: the packet pointers of ``reg``'s id have ``reg.off``
    (+1 when the range is right-open) bytes known to be inside the packet."""
    if reg.off < 0 or (reg.off == 0 and right_open):
        return st
    if reg.s.umax > MAX_PACKET_OFF or reg.s.umax + reg.off > MAX_PACKET_OFF:
        return st
    new_range = reg.off + (1 if right_open else 0)
    return map_regs(st, lambda r: replace(r, range=max(r.range, new_range))
                    if r.base is reg.base and r.id == reg.id else r)


def _is_packet_start(reg: Reg) -> bool:
    """``reg_is_init_pkt_pointer(reg, PTR_TO_PACKET)``."""
    return reg.base is Base.PTR_TO_PACKET and reg.off == 0 and reg.s.is_const() \
        and reg.s.value == 0


# (op, the packet pointer is the destination) -> (the refined side is the jump target,
# the range is right-open): ``try_match_pkt_pointers``.
_PKT_OPS = {
    (JmpOp.JGT, True): (False, False), (JmpOp.JGT, False): (True, True),
    (JmpOp.JLT, True): (True, True), (JmpOp.JLT, False): (False, False),
    (JmpOp.JGE, True): (False, True), (JmpOp.JGE, False): (True, False),
    (JmpOp.JLE, True): (True, False), (JmpOp.JLE, False): (False, True),
}


def _pkt_compare(op: int, dst: Reg, src: Reg, fall: State,
                 jump: State) -> tuple[State, State]:
    """``try_match_pkt_pointers`` for ``pkt op pkt_end`` and ``pkt_meta op pkt`` (either
    order; the data pointer compared with metadata must be the packet's start)."""
    if (dst.base is Base.PTR_TO_PACKET and src.base is Base.PTR_TO_PACKET_END
            or dst.base is Base.PTR_TO_PACKET_META and _is_packet_start(src)):
        pkt, is_dst = dst, True
    elif (dst.base is Base.PTR_TO_PACKET_END and src.base is Base.PTR_TO_PACKET
            or _is_packet_start(dst) and src.base is Base.PTR_TO_PACKET_META):
        pkt, is_dst = src, False
    else:
        return fall, jump
    rule = _PKT_OPS.get((JmpOp(op), is_dst))
    if rule is None:
        return fall, jump
    on_jump, right_open = rule
    if on_jump:
        return fall, _good_pkt(jump, pkt, right_open)
    return _good_pkt(fall, pkt, right_open), jump

"""ALU and ALU64 instructions (``check_alu_op``, ``adjust_reg_min_max_vals``,
``adjust_ptr_min_max_vals``): scalar arithmetic through the scalar domain, pointer arithmetic
with the kernel's rules and messages."""

from __future__ import annotations

from dataclasses import replace

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import AluOp, Op
from kfcheck.verifier import precision
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.env import Env
from kfcheck.verifier.mem import MAX_VAR_OFF, check_reg_read, set_reg
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import SCALAR_UNKNOWN, Base, Reg, State, scalar
from kfcheck.verifier.tnum import Tnum, t_add, t_sub

U64 = (1 << 64) - 1
_OP_NAMES = {AluOp.ADD: "+=", AluOp.SUB: "-=", AluOp.MUL: "*=", AluOp.DIV: "/=",
             AluOp.OR: "|=", AluOp.AND: "&=", AluOp.LSH: "<<=", AluOp.RSH: ">>=",
             AluOp.NEG: "neg", AluOp.MOD: "%=", AluOp.XOR: "^=", AluOp.MOV: "=",
             AluOp.ARSH: "s>>=", AluOp.END: "endian"}
_ARITH_OK = frozenset({Base.PTR_TO_CTX, Base.PTR_TO_MAP_VALUE, Base.PTR_TO_MAP_KEY,
                       Base.PTR_TO_STACK, Base.PTR_TO_PACKET_META, Base.PTR_TO_PACKET,
                       Base.PTR_TO_BTF_ID, Base.PTR_TO_MEM, Base.PTR_TO_FUNC})
_PKT = frozenset({Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META})
Step = list[tuple[State, int]]


def do_alu(env: Env, st: State, insn: Insn) -> Step:
    """One ALU instruction; the successors (a forked ``[-1, 0]`` operand queues the
    instruction again)."""
    idx, dst, alu64 = insn.index, insn.dst, not insn.is_32bit
    op = AluOp(insn.code & 0xF0)
    if insn.op is Op.ADDR_SPACE_CAST:
        raise Unsupported("arena address space casts", idx)
    if op is AluOp.MOV:
        return [(_mov(env, st, insn, alu64), idx + 1)]
    if op in (AluOp.NEG, AluOp.END):
        reg = check_reg_read(st, dst, idx)
        if reg.is_pointer:
            raise Reject(Msg.PTR_ARITH_ANY, dst, insn=idx)
        if op is AluOp.NEG:
            value = sc.neg(reg.s, alu64)
        else:
            bits = insn.imm
            if bits not in (16, 32, 64):
                raise Unsupported(f"byte swap of {bits} bits", idx)
            value = sc.bswap(reg.s, bits, alu64=alu64, to_be=insn.op is Op.END_BE)
        return [(set_reg(st, dst, scalar(value), idx), idx + 1)]
    if insn.uses_reg_source:
        src = check_reg_read(st, insn.src, idx)
    else:
        if op in (AluOp.DIV, AluOp.MOD) and insn.imm == 0:
            raise Reject(Msg.DIV_BY_ZERO, insn=idx)
        if op in (AluOp.LSH, AluOp.RSH, AluOp.ARSH):
            width = 64 if alu64 else 32
            if insn.imm < 0 or insn.imm >= width:
                raise Reject(Msg.INVALID_SHIFT, insn.imm, insn=idx)
        src = scalar(sc.Scalar.imm(insn.imm) if alu64 else
                     sc.Scalar.const(insn.imm & 0xFFFFFFFF))
    target = check_reg_read(st, dst, idx)
    if op in (AluOp.AND, AluOp.OR) and not insn.uses_reg_source and target.is_scalar:
        split = sc.split_neg1_zero(target.s)
        if split is not None:
            minus_one, zero = split
            other = set_reg(st, dst, replace(target, s=zero), idx)
            st = set_reg(st, dst, replace(target, s=minus_one), idx)
            return [(_binary(env, st, insn, op, alu64, st.reg(dst), src), idx + 1),
                    (other, idx)]
    return [(_binary(env, st, insn, op, alu64, target, src), idx + 1)]


def _mov(env: Env, st: State, insn: Insn, alu64: bool) -> State:
    idx, dst = insn.index, insn.dst
    if insn.op is Op.MOVSX:
        src = check_reg_read(st, insn.src, idx)
        if src.is_pointer:  # allow_ptr_leaks: part of a pointer, an unknown scalar
            return set_reg(st, dst, SCALAR_UNKNOWN, idx)
        return set_reg(st, dst, scalar(sc.movsx(src.s, insn.off, alu64)), idx)
    if not insn.uses_reg_source:
        value = sc.Scalar.imm(insn.imm) if alu64 else sc.Scalar.const(insn.imm & 0xFFFFFFFF)
        return set_reg(st, dst, scalar(value), idx)
    src = check_reg_read(st, insn.src, idx)
    if alu64:
        if src.is_scalar and not src.s.is_const() and src.id == 0:
            src = replace(src, id=env.new_id())  # linked copies share their bounds
            st = st.with_reg(insn.src, src)
        return set_reg(st, dst, src, idx)
    if src.is_pointer:
        return set_reg(st, dst, SCALAR_UNKNOWN, idx)  # partial copy of a pointer
    return set_reg(st, dst, scalar(sc.mov(src.s, False)), idx)


def _binary(env: Env, st: State, insn: Insn, op: AluOp, alu64: bool, dst_reg: Reg,
            src_reg: Reg) -> State:
    idx, dst = insn.index, insn.dst
    if src_reg.is_pointer:
        if dst_reg.is_pointer:
            if op is AluOp.SUB:  # allow_ptr_leaks: the difference is a scalar
                return set_reg(st, dst, SCALAR_UNKNOWN, idx)
            raise Reject(Msg.PTR_PTR, dst, _OP_NAMES[op], insn=idx)
        precision.mark(env, st, dst)  # the scalar becomes part of a pointer
        return set_reg(st, dst, _ptr_arith(env, insn, op, alu64, src_reg, dst_reg,
                                           dst_is_ptr=False), idx)
    if dst_reg.is_pointer:
        if insn.uses_reg_source:
            precision.mark(env, st, insn.src)
        return set_reg(st, dst, _ptr_arith(env, insn, op, alu64, dst_reg, src_reg,
                                           dst_is_ptr=True), idx)
    value = sc.alu(int(op), dst_reg.s, src_reg.s, alu64)
    return set_reg(st, dst, scalar(value), idx)


def _sane(value: sc.Scalar, off: int, type_name: str, idx: int) -> None:
    """``check_reg_sane_offset``."""
    known = value.is_const()
    val = sc.sx64(value.value)
    if known and (val >= MAX_VAR_OFF or val <= -MAX_VAR_OFF):
        raise Reject(Msg.PTR_MATH_BIG, type_name, val, insn=idx)
    if off >= MAX_VAR_OFF or off <= -MAX_VAR_OFF:
        raise Reject(Msg.PTR_OFFSET, type_name, off, insn=idx)
    if value.smin == sc.S64_MIN:
        raise Reject(Msg.PTR_MATH_UNBOUNDED, type_name, insn=idx)
    if value.smin >= MAX_VAR_OFF or value.smin <= -MAX_VAR_OFF:
        raise Reject(Msg.PTR_OUT_OF_BOUNDS, value.smin, type_name, insn=idx)


def _ptr_arith(env: Env, insn: Insn, op: AluOp, alu64: bool, ptr: Reg, off_reg: Reg,
               dst_is_ptr: bool) -> Reg:
    """``adjust_ptr_min_max_vals``: the destination after ``ptr op off_reg``."""
    idx, dst = insn.index, insn.dst
    o = off_reg.s
    known = o.is_const()
    if (known and (o.smin != o.smax or o.umin != o.umax)) or o.smin > o.smax \
            or o.umin > o.umax:
        return SCALAR_UNKNOWN
    if not alu64:
        if op is AluOp.SUB:
            return SCALAR_UNKNOWN  # allow_ptr_leaks
        raise Reject(Msg.PTR_32BIT, dst, insn=idx)
    name = ptr.type_name
    if ptr.maybe_null:
        raise Reject(Msg.PTR_ARITH_NULL, dst, name, insn=idx)
    if ptr.base not in _ARITH_OK and not (
            ptr.base is Base.CONST_PTR_TO_MAP and known and o.smin == 0 and op is AluOp.ADD):
        raise Reject(Msg.PTR_ARITH, dst, name, insn=idx)
    _sane(o, 0, name, idx)
    _sane(ptr.s, ptr.off, name, idx)
    p = ptr.s
    if op is AluOp.ADD:
        if known and -(1 << 31) <= ptr.off + o.smin < (1 << 31):
            out = replace(ptr, off=ptr.off + o.smin)
        else:
            value = _add_bounds(p, o)
            out = replace(ptr, s=value)
            if ptr.base in _PKT:
                out = replace(out, id=env.new_id(), range=0)
    elif op is AluOp.SUB:
        if not dst_is_ptr:
            raise Reject(Msg.PTR_SUB_FROM_SCALAR, dst, insn=idx)
        if ptr.base is Base.PTR_TO_STACK:
            raise Reject(Msg.STACK_SUB, dst, insn=idx)
        if known and -(1 << 31) <= ptr.off - o.smin < (1 << 31):
            out = replace(ptr, off=ptr.off - o.smin)
        else:
            value = _sub_bounds(p, o)
            out = replace(ptr, s=value)
            if ptr.base in _PKT:
                out = replace(out, id=env.new_id(), range=0 if o.smin < 0 else ptr.range)
    elif op in (AluOp.AND, AluOp.OR, AluOp.XOR):
        raise Reject(Msg.PTR_BITWISE, dst, _OP_NAMES[op], insn=idx)
    else:
        raise Reject(Msg.PTR_OPERATOR, dst, _OP_NAMES[op], insn=idx)
    _sane(out.s, out.off, name, idx)
    return out


def _add_bounds(p: sc.Scalar, o: sc.Scalar) -> sc.Scalar:
    """A pointer's variable offset plus a scalar (64-bit bounds and tnum; 32-bit unbounded)."""
    smin, smax = p.smin + o.smin, p.smax + o.smax
    if not sc.S64_MIN <= smin <= sc.S64_MAX or not sc.S64_MIN <= smax <= sc.S64_MAX:
        smin, smax = sc.S64_MIN, sc.S64_MAX
    umin, umax = p.umin + o.umin, p.umax + o.umax
    if umax > U64:
        umin, umax = 0, U64
    return sc.Scalar.make(Tnum(*t_add(p.value, p.mask, o.value, o.mask)),
                          smin, smax, umin, umax).sync()


def _sub_bounds(p: sc.Scalar, o: sc.Scalar) -> sc.Scalar:
    smin, smax = p.smin - o.smax, p.smax - o.smin
    if not sc.S64_MIN <= smin <= sc.S64_MAX or not sc.S64_MIN <= smax <= sc.S64_MAX:
        smin, smax = sc.S64_MIN, sc.S64_MAX
    if p.umin < o.umax:
        umin, umax = 0, U64
    else:
        umin, umax = p.umin - o.umax, p.umax - o.umin
    return sc.Scalar.make(Tnum(*t_sub(p.value, p.mask, o.value, o.mask)),
                          smin, smax, umin, umax).sync()

"""Callbacks: ``ld_imm64`` of a subprogram's address (``PTR_TO_FUNC``), helpers that call a
static subprogram back (``push_callback_call``), the callback's frame set up per helper
(``set_callee_state``), and its return (``prepare_func_exit``), which goes back to the calling
instruction so that the callback is explored again until the states converge.

Callbacks of kfuncs are in ``kfunc_cb``, async callbacks (timers) in ``async_cb``; references
or locks crossing a helper's callback are not modelled: they are ``unsupported``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from kfcheck.btf import Kind
from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import InsnClass, Op
from kfcheck.profile.kfuncs.schema import Family
from kfcheck.uapi import MapType
from kfcheck.verifier import calls, kfunc_cb, precision, subprogs
from kfcheck.verifier.env import Env
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import (
    FP,
    NOT_INIT,
    SCALAR_UNKNOWN,
    Base,
    Frame,
    Reg,
    State,
    map_elem_regs,
    pointer,
)

FOR_EACH_MAP_ELEM = 164
FIND_VMA = 180
LOOP = 181
USER_RINGBUF_DRAIN = 209
CALLBACK_RET = (0, 1)  # callback_ret_range of the sync helpers' callbacks
# maps whose map_set_for_each_callback_args gives (map, key, value, ctx)
_FOR_EACH_MAPS = frozenset({MapType.HASH, MapType.PERCPU_HASH, MapType.LRU_HASH,
                            MapType.LRU_PERCPU_HASH, MapType.ARRAY, MapType.PERCPU_ARRAY})

CalleeArgs = Callable[[Env, State, int], tuple[Reg, ...]]


def calls_callback(helper_id: int) -> bool:
    """``is_sync_callback_calling_function``: the helper calls a callback back (its call is a
    forced checkpoint, where converging callback iterations are pruned)."""
    return helper_id in _SYNC


def sync_callback_call(env: Env, insn: Insn) -> bool:
    """``is_sync_callback_calling_insn``: a helper or kfunc (CALLBACK_SYNC) that calls a
    callback back before it returns; its call is a forced checkpoint."""
    if insn.op is Op.CALL_HELPER:
        return calls_callback(insn.imm)
    return _kfunc_in(env, insn, Family.CALLBACK_SYNC)


def async_callback_call(env: Env, insn: Insn) -> bool:
    """``is_async_callback_calling_insn`` for kfuncs (CALLBACK_ASYNC): a prune point."""
    return insn.op is Op.CALL_KFUNC and _kfunc_in(env, insn, Family.CALLBACK_ASYNC)


def _kfunc_in(env: Env, insn: Insn, family: Family) -> bool:
    if insn.op is not Op.CALL_KFUNC or insn.off:
        return False
    table = env.profile.table
    spec = table.kfunc(insn.imm)
    return spec is not None and table.in_family(spec.btf_id, family)


def ld_func(env: Env, st: State, insn: Insn) -> State:
    """``check_ld_imm`` for ``BPF_PSEUDO_FUNC``: the address of a static subprogram."""
    target = insn.index + insn.imm + 1
    sub = subprogs.subprog_at(env, target)
    if not env.program.func_info:
        raise Reject(Msg.MISSING_FUNC_INFO, insn=insn.index)
    if subprogs.is_global(env, sub):
        raise Reject(Msg.CALLBACK_NOT_STATIC, insn=insn.index)
    return st.with_reg(insn.dst, pointer(Base.PTR_TO_FUNC, subprogno=sub))


def guard_func_pointers(env: Env, st: State, insn: Insn) -> None:
    """A callback pointer may only be copied or passed to a callback-calling helper or kfunc
    (CALLBACK_CALLING); a callback's const dynptr only copied, passed to a helper or kfunc
    (their arguments check it) or accessed (``invalid mem access``); any other use of either
    is not modelled."""
    op, cls = insn.op, insn.cls
    if op in (Op.EXIT, Op.LD_IMM64, Op.JA, Op.GOTOL):
        return
    if op in (Op.MOV, Op.MOVSX):  # a write of dst; only a full copy keeps the pointer
        if insn.uses_reg_source and (op is Op.MOVSX or cls is not InsnClass.ALU64):
            _guard(st, insn, (insn.src,), _SPECIAL)
        return
    if op is Op.CALL_HELPER:
        if calls_callback(insn.imm):
            return
        _guard(st, insn, (1, 2, 3, 4, 5), _FUNC)
    elif op is Op.CALL_KFUNC:
        if not _kfunc_in(env, insn, Family.CALLBACK_CALLING):
            _guard(st, insn, (1, 2, 3, 4, 5), _FUNC)
    elif op is Op.CALL_SUBPROG:
        _guard(st, insn, (1, 2, 3, 4, 5), _SPECIAL)
    elif cls is InsnClass.LDX:
        _guard(st, insn, (insn.src,), _FUNC)
    elif cls is InsnClass.ST:
        _guard(st, insn, (insn.dst,), _FUNC)
    elif cls is InsnClass.STX:
        _guard(st, insn, (insn.dst,), _FUNC)
        _guard(st, insn, (insn.src,), _SPECIAL)
    elif insn.uses_reg_source:
        _guard(st, insn, (insn.dst, insn.src), _SPECIAL)
    else:
        _guard(st, insn, (insn.dst,), _SPECIAL)


_FUNC = frozenset({Base.PTR_TO_FUNC})
_SPECIAL = frozenset({Base.PTR_TO_FUNC, Base.CONST_PTR_TO_DYNPTR})


def _guard(st: State, insn: Insn, used: tuple[int, ...], bases: frozenset[Base]) -> None:
    for r in used:
        base = st.reg(r).base
        if base in bases:
            what = "callback pointers used other than as a helper's callback" \
                if base is Base.PTR_TO_FUNC else "const dynptrs used other than as arguments"
            raise Unsupported(what, insn.index)


def do_callback_helper(env: Env, st: State, insn: Insn) -> list[tuple[State, int]]:
    """A helper calling a callback: the call goes on after the helper (first), and the
    callback's body is pushed to be explored in a new frame (``push_callback_call``)."""
    idx = insn.index
    after = calls.do_helper_call(env, st, insn)
    func_reg, callee_args = _SYNC[insn.imm]
    sub = st.reg(func_reg).subprogno
    if insn.imm == LOOP:
        nr_loops = st.reg(1)
        if not nr_loops.is_scalar:
            raise Unsupported("bpf_loop with a pointer as its count", idx)
        _loop_inline_state(env, st, idx, sub)
        precision.mark(env, st, 1)
        if st.frame.callback_depth >= nr_loops.s.umax:
            return [(after.with_frame(replace(after.frame, callback_depth=0)), idx + 1)]
    elif insn.imm == FOR_EACH_MAP_ELEM:
        m = st.reg(1).map
        assert m is not None
        if m.map_type not in _FOR_EACH_MAPS:
            raise Unsupported(f"bpf_for_each_map_elem on a {m.map_type.name} map", idx)
    if st.refs or st.lock is not None or st.rcu or st.preempt:
        raise Unsupported("callbacks called with references, locks or regions held", idx)
    depth = len(st.frames)
    if depth >= subprogs.MAX_CALL_FRAMES:
        raise Reject(Msg.CALL_STACK_TOO_DEEP, depth + 1, insn=idx)
    regs = [NOT_INIT] * 11
    for regno, reg in enumerate(callee_args(env, st, idx), start=1):
        regs[regno] = reg
    regs[FP] = pointer(Base.PTR_TO_STACK, frameno=depth)
    callee = Frame(tuple(regs), callsite=idx, subprog=sub, callback_ret=CALLBACK_RET)
    caller = replace(st.frame, callback_depth=st.frame.callback_depth + 1)
    callback = replace(st, frames=(*st.frames[:-1], caller, callee),
                       callback_unroll_depth=st.callback_unroll_depth + 1)
    after = after.with_frame(replace(after.frame, callback_depth=0))
    env.callback_subprogs.add(sub)
    return [(after, idx + 1), (callback, env.subprogs[sub])]


def _loop_inline_state(env: Env, st: State, idx: int, sub: int) -> None:
    """``update_loop_inline_state``: a bpf_loop call stays fit for inlining while every visit
    passes zero flags (each such visit makes the flags precise) and the same callback."""
    fit = env.loop_inline.get(idx)
    if fit is not None and not fit[0]:
        return
    zero = st.reg(4).is_null
    if zero:
        precision.mark(env, st, 4)
    env.loop_inline[idx] = (zero and (fit is None or fit[1] == sub), sub)


def _loop_args(env: Env, st: State, idx: int) -> tuple[Reg, ...]:
    """``set_loop_callback_state``: callback(u64 index, void *ctx)."""
    return (SCALAR_UNKNOWN, st.reg(3))


def _map_elem_args(env: Env, st: State, idx: int) -> tuple[Reg, ...]:
    """``set_map_elem_callback_state``: callback(map, key, value, ctx)."""
    return (*map_elem_regs(st.reg(1).map), st.reg(3))


def _find_vma_args(env: Env, st: State, idx: int) -> tuple[Reg, ...]:
    """``set_find_vma_callback_state``: callback(the task as passed, an untrusted
    ``struct vm_area_struct *``, ctx)."""
    vma = env.profile.btf.by_name("vm_area_struct", Kind.STRUCT)
    if not vma:
        raise Unsupported("bpf_find_vma without struct vm_area_struct", idx)
    return (st.reg(1), pointer(Base.PTR_TO_BTF_ID, btf_id=vma[0].id), st.reg(4))


def _user_ringbuf_args(env: Env, st: State, idx: int) -> tuple[Reg, ...]:
    """``set_user_ringbuf_callback_state``: callback(a const LOCAL dynptr of a fresh id,
    ctx)."""
    return (pointer(Base.CONST_PTR_TO_DYNPTR, id=env.new_id()), st.reg(3))


# helper id -> (the register holding the callback, the callback's arguments)
_SYNC: dict[int, tuple[int, CalleeArgs]] = {
    LOOP: (2, _loop_args), FOR_EACH_MAP_ELEM: (2, _map_elem_args),
    FIND_VMA: (3, _find_vma_args), USER_RINGBUF_DRAIN: (2, _user_ringbuf_args),
}


def callback_return(env: Env, st: State, idx: int) -> list[tuple[State, int]]:
    """``prepare_func_exit`` of a callback: R0 in the callback's range; back to the calling
    instruction, which pushes the callback again until its states converge."""
    callee = st.frame
    assert callee.callback_ret is not None
    if callee.entry:  # a kfunc's sync callback: it gives back what it was called holding
        if not kfunc_cb.unchanged_since_entry(st):
            raise Unsupported("callbacks returning with references, locks or regions held",
                              idx)
    elif st.refs or st.lock is not None or st.rcu or st.preempt or st.res_locks:
        raise Unsupported("callbacks returning with references, locks or regions held", idx)
    r0 = callee.regs[0]
    if r0.base is Base.PTR_TO_STACK:
        raise Reject(Msg.RETURN_STACK_PTR, insn=idx)
    if not r0.is_scalar:
        raise Reject(Msg.CALLBACK_R0_NOT_SCALAR, insn=idx)
    precision.mark(env, st, 0)
    lo, hi = callee.callback_ret
    if not lo <= r0.s.smin <= r0.s.smax <= hi:
        raise Reject(Msg.RETVAL_RANGE, "At callback return", 0, calls.range_text(r0.s), lo, hi,
                     insn=idx)
    return [(replace(st, frames=st.frames[:-1]), callee.callsite)]

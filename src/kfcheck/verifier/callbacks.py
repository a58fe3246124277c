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

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import InsnClass, Op
from kfcheck.profile.kfuncs.schema import Family
from kfcheck.uapi import MapType
from kfcheck.verifier import calls, kfunc_cb, subprogs
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
    pointer,
)

FOR_EACH_MAP_ELEM = 164
LOOP = 181
CALLBACK_RET = (0, 1)  # callback_ret_range of the sync helpers' callbacks
# maps whose map_set_for_each_callback_args gives (map, key, value, ctx)
_FOR_EACH_MAPS = frozenset({MapType.HASH, MapType.PERCPU_HASH, MapType.LRU_HASH,
                            MapType.LRU_PERCPU_HASH, MapType.ARRAY, MapType.PERCPU_ARRAY})

CalleeArgs = Callable[[Env, State, int], tuple[Reg, ...]]


def calls_callback(helper_id: int) -> bool:
    """``is_sync_callback_calling_function``: the helper calls a callback back (its call is a
    forced checkpoint, where converging callback iterations are pruned)."""
    return helper_id in (LOOP, FOR_EACH_MAP_ELEM)


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
    (CALLBACK_CALLING); any other use is not modelled."""
    if insn.op is Op.CALL_HELPER and calls_callback(insn.imm):
        return
    if _kfunc_in(env, insn, Family.CALLBACK_CALLING):
        return
    used: tuple[int, ...]
    if insn.op in (Op.CALL_HELPER, Op.CALL_KFUNC, Op.CALL_SUBPROG):
        used = (1, 2, 3, 4, 5)
    elif insn.op in (Op.EXIT, Op.LD_IMM64, Op.JA, Op.GOTOL):
        return
    elif insn.op is Op.MOV and insn.cls is InsnClass.ALU64 and insn.uses_reg_source:
        return
    elif insn.cls in (InsnClass.LDX,):
        used = (insn.src,)
    elif insn.cls is InsnClass.ST:
        used = (insn.dst,)
    else:
        used = (insn.dst, insn.src) if insn.uses_reg_source or insn.cls is InsnClass.STX \
            else (insn.dst,)
    if any(st.reg(r).base is Base.PTR_TO_FUNC for r in used):
        raise Unsupported("callback pointers used other than as a helper's callback",
                          insn.index)


def do_callback_helper(env: Env, st: State, insn: Insn) -> list[tuple[State, int]]:
    """A helper calling a callback: the call goes on after the helper (first), and the
    callback's body is pushed to be explored in a new frame (``push_callback_call``)."""
    idx = insn.index
    after = calls.do_helper_call(env, st, insn)
    sub = st.reg(2).subprogno
    if insn.imm == LOOP:
        nr_loops = st.reg(1)
        if not nr_loops.is_scalar:
            raise Unsupported("bpf_loop with a pointer as its count", idx)
        if st.frame.callback_depth >= nr_loops.s.umax:
            return [(after.with_frame(replace(after.frame, callback_depth=0)), idx + 1)]
        callee_args: CalleeArgs = _loop_args
    else:
        m = st.reg(1).map
        assert m is not None
        if m.map_type not in _FOR_EACH_MAPS:
            raise Unsupported(f"bpf_for_each_map_elem on a {m.map_type.name} map", idx)
        callee_args = _map_elem_args
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
    env.callback_visits += 1
    env.callback_subprogs.add(sub)
    return [(after, idx + 1), (callback, env.subprogs[sub])]


def _loop_args(env: Env, st: State, idx: int) -> tuple[Reg, ...]:
    """``set_loop_callback_state``: callback(u64 index, void *ctx)."""
    return (SCALAR_UNKNOWN, st.reg(3))


def _map_elem_args(env: Env, st: State, idx: int) -> tuple[Reg, ...]:
    """``set_map_elem_callback_state``: callback(map, key, value, ctx)."""
    m = st.reg(1).map
    return (pointer(Base.CONST_PTR_TO_MAP, map=m), pointer(Base.PTR_TO_MAP_KEY, map=m),
            pointer(Base.PTR_TO_MAP_VALUE, map=m), st.reg(3))


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
    lo, hi = callee.callback_ret
    if not lo <= r0.s.smin <= r0.s.smax <= hi:
        raise Reject(Msg.RETVAL_RANGE, "At callback return", 0, calls.range_text(r0.s), lo, hi,
                     insn=idx)
    return [(replace(st, frames=st.frames[:-1]), callee.callsite)]

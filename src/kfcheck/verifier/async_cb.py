"""Async callbacks (``push_async_cb``): ``bpf_timer_set_callback``'s and those of the kfuncs
of the CALLBACK_ASYNC family (``kfunc_cb``). Each is verified later on a fresh stack, as the
first frame of a path of its own with the map, key and value in R1-R3, and returns in its
range (``check_return_code`` with ``in_async_callback_fn``: ``At async callback return``)."""

from __future__ import annotations

from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import Op
from kfcheck.link.program import MapSpec
from kfcheck.verifier import calls, precision
from kfcheck.verifier.env import Env
from kfcheck.verifier.mem import check_reg_read
from kfcheck.verifier.messages import EXIT_PREFIX, Msg, Reject, Unsupported
from kfcheck.verifier.state import FP, NOT_INIT, Base, Frame, State, map_elem_regs, pointer

TIMER_SET_CALLBACK = 170
TIMER_RET = (0, 0)  # set_timer_callback_state
TIMER = "timer"
_EXIT_CTX = "At async callback return"


def is_timer_set_callback(insn: Insn) -> bool:
    """Whether the instruction calls ``bpf_timer_set_callback``."""
    return insn.op is Op.CALL_HELPER and insn.imm == TIMER_SET_CALLBACK


def in_async(st: State) -> bool:
    """Whether the path is an async callback's (``in_async_callback_fn`` of its first frame)."""
    return bool(st.frames[0].async_cb)


def in_timer_callback(st: State) -> bool:
    """Whether the path is a ``bpf_timer`` callback's."""
    return st.frames[0].async_cb == TIMER


def async_state(env: Env, m: MapSpec | None, sub: int, ret: tuple[int, int],
                setter: str) -> State:
    """The callback's path: one frame at subprogram ``sub`` (an async callback, ``is_async_cb``,
    whose stack is not its caller's) with ``m``'s map, key and value pointers in R1-R3,
    returning in ``ret``; ``setter`` names what set it."""
    env.async_subprogs.add(sub)
    regs = [NOT_INIT] * 11
    regs[1:4] = map_elem_regs(m)
    regs[FP] = pointer(Base.PTR_TO_STACK)
    return State((Frame(tuple(regs), callsite=-1, subprog=sub, callback_ret=ret,
                        async_cb=setter),))


def timer_set_callback(env: Env, st: State, insn: Insn) -> list[tuple[State, int]]:
    """The helper call goes on (first); the timer callback's own path is pushed."""
    idx = insn.index
    if in_async(st):
        raise Unsupported("bpf_timer_set_callback inside an async callback", idx)
    if env.program.sleepable:
        raise Unsupported("timer callbacks of sleepable programs", idx)
    after = calls.do_helper_call(env, st, insn)
    sub = st.reg(2).subprogno
    callback = async_state(env, st.reg(1).map, sub, TIMER_RET, TIMER)
    return [(after, idx + 1), (callback, env.subprogs[sub])]


def async_exit(env: Env, st: State, idx: int) -> None:
    """``BPF_EXIT`` of the async callback's first frame: nothing held, R0 a scalar in the
    callback's range."""
    calls.check_resource_leak(st, idx, EXIT_PREFIX)
    r0 = check_reg_read(st, 0, idx)
    if not r0.is_scalar:
        raise Reject(Msg.RETVAL_NOT_KNOWN, _EXIT_CTX, 0, r0.type_name, insn=idx)
    ret = st.frames[0].callback_ret
    assert ret is not None
    precision.mark(env, st, 0)
    lo, hi = ret
    if not lo <= r0.s.smin <= r0.s.smax <= hi:
        raise Reject(Msg.RETVAL_RANGE, _EXIT_CTX, 0, calls.range_text(r0.s), lo, hi, insn=idx)

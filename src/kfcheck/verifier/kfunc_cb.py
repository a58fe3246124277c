"""kfuncs that call a callback (the CALLBACK_SYNC and CALLBACK_ASYNC families) and the map
fields their arguments name: ``KF_ARG_PTR_TO_CALLBACK`` (a static subprogram's address),
``KF_ARG_PTR_TO_WORKQUEUE`` / ``KF_ARG_PTR_TO_TASK_WORK`` (``check_map_field_pointer``),
``__map`` arguments (``KF_ARG_PTR_TO_MAP``), and ``push_callback_call``: a sync callback
(RBTREE_ADD's ``less``) is explored in a new frame of the calling path until its states
converge; an async one (WQ, TASK_WORK) is verified as its own entry, a one-frame path with
its own context, sleepable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kfcheck.isa.opcodes import Op
from kfcheck.link.program import MapSpec
from kfcheck.profile.kfuncs.schema import Family, KfuncSpec
from kfcheck.verifier import async_cb, kfunc_graph, subprogs
from kfcheck.verifier.env import Env
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import FP, NOT_INIT, TF, Base, Frame, Reg, State, pointer

S32_MIN, S32_MAX = -(1 << 31), (1 << 31) - 1
# struct type of a map-field argument -> the kernel's btf_field_type_name
MAP_FIELDS = {"bpf_wq": "bpf_wq", "bpf_task_work": "bpf_task_work"}
# R0's range at an async callback's return, per family (set_timer_callback_state for
# workqueues, set_task_work_schedule_callback_state)
_ASYNC_RET = ((Family.WQ, (0, 0)), (Family.TASK_WORK, (S32_MIN, S32_MAX)))
_RBTREE_CB_RET = (0, 1)  # set_rbtree_add_callback_state


@dataclass(slots=True)
class MapDesc:
    """``meta->map``: the map a map-field or ``__map`` argument named."""

    map: MapSpec | None = None
    field: str = ""  # the map field that named it ("" for an __map argument)


def map_field_arg(env: Env, idx: int, i: int, reg: Reg, struct: str, desc: MapDesc) -> None:
    """``KF_ARG_PTR_TO_WORKQUEUE`` / ``_TASK_WORK``: a map value at the field's offset."""
    regno = i + 1
    if reg.base is not Base.PTR_TO_MAP_VALUE or reg.flags != TF.NONE:
        if reg.base is not Base.PTR_TO_MAP_VALUE and (reg.off or not reg.s.is_const()
                                                      or reg.s.value):
            raise Unsupported(f"{reg.type_name} with an offset passed as a {struct}", idx)
        raise Reject(Msg.MAP_FIELD_NOT_MAP_VALUE, i, insn=idx)
    name = MAP_FIELDS[struct]
    if not reg.s.is_const():
        raise Reject(Msg.GRAPH_VAR_OFF, regno, name, insn=idx)
    m = reg.map
    assert m is not None
    if not m.btf_value_type_id:
        raise Reject(Msg.MAP_FIELD_NO_BTF, m.name, name, insn=idx)
    fields = [off for off, _, fname in env.map_fields(m) if fname == struct]
    if not fields:
        raise Reject(Msg.MAP_FIELD_MISSING, m.name, name, insn=idx)
    if len(fields) > 1:
        raise Unsupported(f"maps with more than one {struct}", idx)
    off = reg.s.value + reg.off
    if off != fields[0]:
        raise Reject(Msg.MAP_FIELD_OFFSET, off, name, fields[0], insn=idx)
    if desc.map is not None:
        raise Unsupported(f"two map arguments to a {struct} kfunc", idx)
    desc.map, desc.field = m, struct


def map_arg(env: Env, idx: int, i: int, reg: Reg, desc: MapDesc) -> None:
    """``KF_ARG_PTR_TO_MAP`` (an ``__map`` argument): a map, the one of the kfunc's map-field
    argument if it had one and the map holds a workqueue or task work (whatever it holds, on
    a build with ``map_arg_matched_always``)."""
    if reg.base is not Base.CONST_PTR_TO_MAP:
        raise Unsupported(f"{reg.type_name} passed as a map", idx)
    m = reg.map
    assert m is not None
    if desc.map is not None and desc.map.name != m.name:
        names = {fname for _, _, fname in env.map_fields(m)}
        if not names & MAP_FIELDS.keys() and not env.profile.table.file.map_arg_matched_always:
            raise Unsupported("an __map argument holding no workqueue or task work, other "
                              "than the field's map", idx)
        if desc.field == "bpf_task_work":
            raise Reject(Msg.TASK_WORK_MAP_MISMATCH, 0, 0, insn=idx)
        raise Reject(Msg.WQ_MAP_MISMATCH, 0, 0, insn=idx)
    desc.map = m


def callback_arg(idx: int, i: int, reg: Reg) -> int:
    """``KF_ARG_PTR_TO_CALLBACK``: the subprogram a callback pointer names."""
    if reg.base is not Base.PTR_TO_FUNC:
        raise Reject(Msg.KFUNC_CALLBACK_ARG, i, insn=idx)
    return reg.subprogno


def push_callback(env: Env, st: State, idx: int, spec: KfuncSpec, sub: int,
                  root: kfunc_graph.GraphRoot | None, desc: MapDesc) -> State:
    """``push_callback_call``: the state that explores the callback's body (its first
    instruction is the subprogram's start)."""
    table = env.profile.table
    if table.in_family(spec.btf_id, Family.CALLBACK_ASYNC):
        return _push_async(env, st, idx, spec, sub, desc)
    if not table.in_family(spec.btf_id, Family.RBTREE_ADD) or root is None:
        raise Unsupported(f"sync callbacks of {spec.name}", idx)
    depth = len(st.frames)
    if depth >= subprogs.MAX_CALL_FRAMES:
        raise Reject(Msg.CALL_STACK_TOO_DEEP, depth + 1, insn=idx)
    env.callback_subprogs.add(sub)
    node = kfunc_graph.node_result(env, root, acquired=False)  # mark_reg_graph_node, non-own
    regs = [NOT_INIT] * 11
    regs[1] = node
    regs[2] = node
    regs[FP] = pointer(Base.PTR_TO_STACK, frameno=depth)
    callee = Frame(tuple(regs), callsite=idx, subprog=sub, callback_ret=_RBTREE_CB_RET,
                   entry=_entry(st))
    caller = replace(st.frame, callback_depth=st.frame.callback_depth + 1)
    return replace(st, frames=(*st.frames[:-1], caller, callee),
                   callback_unroll_depth=st.callback_unroll_depth + 1)


def _push_async(env: Env, st: State, idx: int, spec: KfuncSpec, sub: int,
                desc: MapDesc) -> State:
    """``push_async_cb``: a new one-frame path at the callback, sleepable, with the map,
    key and value of the map the kfunc's arguments named."""
    table = env.profile.table
    ret = next((r for f, r in _ASYNC_RET if table.in_family(spec.btf_id, f)), None)
    if ret is None or desc.map is None:
        raise Unsupported(f"async callbacks of {spec.name}", idx)
    if not env.program.sleepable:  # is_async_cb_sleepable: every async kfunc callback
        if table.file.sleepable_cb_needs_sleepable_prog:
            raise Reject(Msg.KFUNC_CALLBACK_FAILED, spec.name, spec.btf_id, insn=idx,
                         before=Msg.SLEEPABLE_CB_PROG.value)
        raise Unsupported("sleepable async callbacks of a non-sleepable program", idx)
    return async_cb.async_state(env, desc.map, sub, ret, spec.name)


def _entry(st: State) -> tuple[object, ...]:
    """What a sync callback must give back unchanged: references, locks, regions."""
    return (tuple(r.id for r in st.refs), st.lock, st.res_locks, st.rcu, st.preempt)


def unchanged_since_entry(st: State) -> bool:
    """A sync callback returns holding what it was called with."""
    return st.frame.entry == _entry(st)


def in_rbtree_cb(env: Env, st: State) -> bool:
    """``in_rbtree_lock_required_cb``: the current frame is the callback of a kfunc of the
    RBTREE_LOCK_REQUIRED family."""
    frame = st.frame
    if len(st.frames) < 2 or frame.callback_ret is None:
        return False
    insn = env.insns[frame.callsite]
    if insn is None or insn.op is not Op.CALL_KFUNC:
        return False
    spec = env.profile.table.kfunc(insn.imm)
    return spec is not None and env.profile.table.in_family(spec.btf_id,
                                                            Family.RBTREE_LOCK_REQUIRED)

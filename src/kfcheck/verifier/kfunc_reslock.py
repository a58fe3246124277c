"""Resilient spin locks (``struct bpf_res_spin_lock`` arguments of the RES_LOCK / RES_UNLOCK
families, ``process_spin_lock`` with ``PROCESS_RES_LOCK``): a lock call forks a failure path
(R0 in [-MAX_ERRNO, -1], nothing taken) from the success path (R0 0, the lock held); locks
nest and are released last-in first-out; the IRQ_SAVE / IRQ_RESTORE members also save or
restore irq flags (of the lock class)."""

from __future__ import annotations

from dataclasses import replace

from kfcheck.profile.kfuncs.schema import Family, KfuncSpec
from kfcheck.verifier.env import Env
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.scalar import Scalar
from kfcheck.verifier.state import NOT_INIT, TF, Base, Reg, ResLock, State, scalar

MAX_ERRNO = 4095
LOCK_FIELD = "bpf_res_spin_lock"
# check_func_arg_reg_off: pointer types where any offset is allowed
_ANY_OFFSET = frozenset({Base.PTR_TO_STACK, Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META,
                         Base.PTR_TO_MAP_KEY, Base.PTR_TO_MAP_VALUE, Base.PTR_TO_MEM})


def failure_state(st: State) -> State:
    """The path where the lock is not taken: R1-R5 not initialised, R0 a negative errno."""
    for regno in range(1, 6):
        st = st.with_reg(regno, NOT_INIT)
    return st.with_reg(0, scalar(Scalar.from_ranges(smin=-MAX_ERRNO, smax=-1,
                                                    s32_min=-MAX_ERRNO, s32_max=-1)))


def lock_arg(env: Env, st: State, idx: int, spec: KfuncSpec, i: int, reg: Reg) -> State:
    """``KF_ARG_PTR_TO_RES_SPIN_LOCK``: take or release the lock ``reg`` points to."""
    table = env.profile.table
    regno = i + 1
    if reg.base is Base.PTR_TO_BTF_ID and reg.flags == TF.ALLOC:
        raise Unsupported("resilient spin locks in allocated objects", idx)
    if reg.base is not Base.PTR_TO_MAP_VALUE or reg.flags != TF.NONE:
        if reg.base not in _ANY_OFFSET and (reg.off or not reg.s.is_const() or reg.s.value):
            # check_func_arg_reg_off may reject it first
            raise Unsupported(f"{reg.type_name} with an offset passed as a lock", idx)
        raise Reject(Msg.RES_LOCK_NOT_MAP, i, insn=idx)
    take = table.in_family(spec.btf_id, Family.RES_LOCK)
    if not take and not table.in_family(spec.btf_id, Family.RES_UNLOCK):
        raise Unsupported("resilient spin lock argument of a kfunc that neither locks nor "
                          "unlocks", idx)
    if st.lock is not None:
        raise Unsupported("resilient spin locks while a bpf_spin_lock is held", idx)
    irq = bool(spec.family_mask & (Family.IRQ_SAVE | Family.IRQ_RESTORE))
    if not reg.s.is_const():
        raise Reject(Msg.RES_LOCK_VAR_OFF, regno, insn=idx)
    m = reg.map
    assert m is not None
    if not m.btf_value_type_id:
        raise Unsupported("resilient spin locks in maps without BTF", idx)
    fields = [off for off, _, name in env.map_fields(m) if name == LOCK_FIELD]
    if not fields:
        raise Reject(Msg.RES_LOCK_NO_FIELD, m.name, insn=idx)
    off = reg.s.value + reg.off
    if off != fields[0]:
        raise Reject(Msg.RES_LOCK_OFFSET, off, fields[0], insn=idx)
    if take:
        if any(h.map == m.name and h.id == reg.id for h in st.res_locks):
            raise Reject(Msg.RES_LOCK_AA, insn=idx)
        return replace(st, res_locks=(*st.res_locks, ResLock(m.name, reg.id, idx, irq)))
    if not st.res_locks:
        raise Reject(Msg.RES_LOCK_WITHOUT, insn=idx)
    held = [h for h in st.res_locks if h.map == m.name and h.id == reg.id and h.irq == irq]
    if not held:
        raise Reject(Msg.RES_LOCK_DIFFERENT, insn=idx)
    last = st.res_locks[-1]
    if last.map != m.name or last.id != reg.id:
        raise Reject(Msg.RES_LOCK_OUT_OF_ORDER, insn=idx)
    return replace(st, res_locks=st.res_locks[:-1])

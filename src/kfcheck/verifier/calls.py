"""Helper calls (``check_helper_call``, ``check_func_arg``) and program exit
(``check_resource_leak``, ``check_return_code``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kfcheck.btf import Kind
from kfcheck.isa.insn import Insn
from kfcheck.link.program import MapSpec
from kfcheck.uapi import MapType
from kfcheck.verifier import dynptr, kfunc_graph, kptr, precision
from kfcheck.verifier import scalar as sc
from kfcheck.verifier.btfptr import gpl
from kfcheck.verifier.env import Env
from kfcheck.verifier.helpers import Arg, Helper, Ret, helper, map_func_compatible
from kfcheck.verifier.mem import BPF_F_RDONLY_PROG, check_reg_read, helper_mem, region
from kfcheck.verifier.messages import (
    EXIT_PREFIX,
    IRQ_REGION,
    PREEMPT_REGION,
    RCU_REGION,
    SPIN_LOCK_REGION,
    TAIL_CALL_PREFIX,
    Msg,
    Reject,
    Unsupported,
)
from kfcheck.verifier.state import (
    NOT_INIT,
    SCALAR_UNKNOWN,
    SLOT,
    TF,
    Base,
    DynptrInfo,
    DynType,
    RefState,
    Reg,
    SlotKind,
    StackSlot,
    State,
    map_regs,
    pointer,
    release_reference,
    scalar,
)

MAX_VAR_SIZ = 1 << 29  # BPF_MAX_VAR_SIZ
MAX_ERRNO = 4095
_MEM_TYPES = ((Base.PTR_TO_STACK, TF.NONE), (Base.PTR_TO_PACKET, TF.NONE),
              (Base.PTR_TO_PACKET_META, TF.NONE), (Base.PTR_TO_MAP_KEY, TF.NONE),
              (Base.PTR_TO_MAP_VALUE, TF.NONE), (Base.PTR_TO_MEM, TF.NONE),
              (Base.PTR_TO_MEM, TF.RINGBUF))
# what check_reg_type prints after "expected=" for each argument kind (compatible_reg_types)
_MEM_EXPECTED = "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_"
_SOCK_EXPECTED = "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_"
_PACKET_BASES = frozenset({Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META, Base.PTR_TO_PACKET_END})
_SOCK_TYPES = frozenset({Base.PTR_TO_SOCK_COMMON, Base.PTR_TO_SOCKET, Base.PTR_TO_TCP_SOCK})
_SOCK_RETS = {Ret.SOCKET_OR_NULL: Base.PTR_TO_SOCKET, Ret.SOCK_COMMON_OR_NULL:
              Base.PTR_TO_SOCK_COMMON, Ret.TCP_SOCK_OR_NULL: Base.PTR_TO_TCP_SOCK}


@dataclass(slots=True)
class _Meta:
    """``struct bpf_call_arg_meta``: what earlier arguments told later ones."""

    map: MapSpec | None = None
    alloc_size: int = 0
    release_regno: int = 0
    ref_obj_id: int = 0
    const_key: int | None = None  # a constant array-map key (the lookup cannot fail)
    dynptr: DynptrInfo | None = None  # the dynptr argument (initialised or made)
    msize_max: int = 0  # the largest value of the last size argument
    kptr: kptr.Field | None = None  # bpf_kptr_xchg's destination field


def _expect(ok: bool, regno: int, reg: Reg, expected: str, idx: int) -> None:
    if not ok:
        raise Reject(Msg.ARG_TYPE, regno, reg.type_name, expected, insn=idx)


def do_helper_call(env: Env, st: State, insn: Insn) -> State:
    """One helper call: arguments, the release of a reference, the return value, and the
    caller-saved registers R1-R5 made unreadable."""
    idx, func_id = insn.index, insn.imm
    fn = helper(func_id)
    if fn is None:
        raise Unsupported(f"helper #{func_id}", idx)
    if env.info.helpers in fn.other_protos:
        raise Unsupported(f"bpf_{fn.name} in {env.info.name} programs", idx)
    if env.info.helpers not in fn.groups:
        raise Reject(Msg.HELPER_PROG_TYPE, f"bpf_{fn.name}", func_id, insn=idx)
    if fn.gpl_only and not gpl(env.program.license):
        raise Reject(Msg.GPL_ONLY_HELPER, insn=idx)
    if fn.leaves_program and len(env.subprogs) > 1:
        raise Unsupported(f"bpf_{fn.name} in a program with subprograms", idx)
    meta = _Meta()
    for i, kind in enumerate(fn.args):
        st = _arg(env, st, idx, i + 1, kind, fn, meta)
    if meta.map is not None:
        ok = map_func_compatible(meta.map.map_type, fn.name)
        if ok is None:
            raise Unsupported(f"bpf_{fn.name} on a {meta.map.map_type.name} map", idx)
        if not ok and fn.leaves_program:  # record_func_key, before this check
            raise Reject(Msg.TAIL_CALL_MAP, insn=idx)
        if not ok:
            raise Reject(Msg.MAP_TYPE_INTO_FUNC, int(meta.map.map_type), f"bpf_{fn.name}",
                         func_id, insn=idx)
    if fn.leaves_program:
        _record_func_key(env, st, meta.map)
        check_resource_leak(st, idx, TAIL_CALL_PREFIX)
    if meta.release_regno and meta.dynptr is not None:
        st = dynptr.release(st, st.reg(meta.release_regno), meta.dynptr)
    elif meta.release_regno and meta.ref_obj_id:
        st = release_reference(st, meta.ref_obj_id)
    if fn.mem_map_value and st.reg(1).base is not Base.PTR_TO_MAP_VALUE:
        raise Reject(Msg.DYNPTR_FROM_MEM_DATA, st.reg(1).type_name, insn=idx)
    skb_write = (fn.changes_skb_dynptr and meta.dynptr is not None
                 and meta.dynptr.type is DynType.SKB)
    for regno in range(1, 6):
        st = st.with_reg(regno, NOT_INIT)
    r0 = _ret(env, st, idx, fn, meta)
    if fn.acquires:
        st, r0 = acquire(env, st, idx, r0)
    st = st.with_reg(0, r0)
    if fn.changes_pkt_data or skb_write:
        st = map_regs(st, invalidate_packet_pointer)
    return st


def _record_func_key(env: Env, st: State, prog_array: MapSpec | None) -> None:
    """``record_func_key``: a constant in-range tail call index is made precise."""
    key = st.reg(3)
    if (prog_array is not None and prog_array.map_type is MapType.PROG_ARRAY
            and key.is_const() and key.s.value < prog_array.max_entries):
        precision.mark(env, st, 3)


def invalidate_packet_pointer(reg: Reg) -> Reg:
    """``clear_all_pkt_pointers`` for a privileged loader: packet pointers become unknown
    scalars after a helper that may move the packet, and so do slices of skb/xdp dynptrs."""
    if reg.base in _PACKET_BASES or (reg.base is Base.PTR_TO_MEM and reg.flags & TF.DYNPTR_PKT):
        return SCALAR_UNKNOWN
    return reg


def _arg(env: Env, st: State, idx: int, regno: int, kind: Arg, fn: Helper,
         meta: _Meta) -> State:
    reg = check_reg_read(st, regno, idx)
    if kind is Arg.ANYTHING:
        return st
    if kind is Arg.CONST_MAP_PTR:
        _expect(reg.base is Base.CONST_PTR_TO_MAP and not reg.maybe_null, regno, reg,
                "map_ptr", idx)
        if meta.map is not None:  # the timer's map (map_uid: inner maps are not modelled)
            assert reg.map is not None
            if not reg.map.name:
                raise Unsupported("timers of inner maps", idx)
            if reg.map is not meta.map and reg.map.name != meta.map.name:
                raise Reject(Msg.TIMER_MAP_MISMATCH, 0, 0, insn=idx)
        meta.map = reg.map
        return st
    if kind is Arg.CTX:
        _expect(reg.base is Base.PTR_TO_CTX, regno, reg, "ctx", idx)
        if reg.off or not reg.s.is_const() or reg.s.value:
            raise Reject(Msg.CTX_MODIFIED, reg.type_name, regno, reg.off, insn=idx)
        return st
    if kind is Arg.MAP_VALUE_OR_NULL and reg.is_null:
        return st
    if kind in (Arg.MAP_KEY, Arg.MAP_VALUE, Arg.MAP_VALUE_OR_NULL, Arg.MAP_VALUE_UNINIT):
        _expect((reg.base, reg.flags) in _MEM_TYPES, regno, reg, _MEM_EXPECTED, idx)
        assert meta.map is not None
        size = meta.map.key_size if kind is Arg.MAP_KEY else meta.map.value_size
        write = kind is Arg.MAP_VALUE_UNINIT
        st = helper_mem(env, st, idx, regno, size, write=write, raw=write)
        if kind is Arg.MAP_KEY and meta.map.map_type in _CONST_KEY_MAPS:
            meta.const_key, spilled = _constant_key(st, reg, size)
            if spilled:  # the key's value came from the spilled register
                precision.mark_slot(env, st, reg.frameno, (-(reg.off + reg.s.value) - 1) // SLOT)
        return st
    if kind is Arg.MEM_RDONLY_OR_NULL and reg.is_null:
        return st  # a NULL pointer: the size that follows must be zero
    if kind in (Arg.MEM_RDONLY, Arg.MEM_UNINIT, Arg.MEM_RDONLY_OR_NULL):
        flags = reg.flags if kind is Arg.MEM_UNINIT else reg.flags & ~TF.RDONLY
        if kind is Arg.MEM_RDONLY_OR_NULL:
            flags &= ~TF.MAYBE_NULL
        _expect((reg.base, flags) in _MEM_TYPES, regno, reg, _MEM_EXPECTED, idx)
        return st  # checked with the size argument that follows
    if kind in (Arg.CONST_SIZE, Arg.CONST_SIZE_OR_ZERO):
        _expect(reg.is_scalar, regno, reg, "scalar", idx)
        s = reg.s
        if s.smin < 0:
            raise Reject(Msg.SIZE_NEGATIVE, regno, insn=idx)
        if s.umin == 0 and kind is Arg.CONST_SIZE:
            raise Reject(Msg.SIZE_ZERO, regno, s.umin, s.umax, insn=idx)
        if s.umax >= MAX_VAR_SIZ:
            raise Reject(Msg.SIZE_UNBOUNDED, regno, insn=idx)
        meta.msize_max = s.umax
        write = fn.args[regno - 2] is Arg.MEM_UNINIT
        mem = st.reg(regno - 1)
        if mem.is_scalar:  # a NULL memory argument (checked above)
            if s.umax:
                raise Unsupported("a NULL memory argument with a non-zero size", idx)
        else:
            st = helper_mem(env, st, idx, regno - 1, s.umax, write=write,
                            zero_ok=kind is Arg.CONST_SIZE_OR_ZERO, raw=write)
        precision.mark(env, st, regno)
        return st
    if kind is Arg.CONST_ALLOC_SIZE_OR_ZERO:
        _expect(reg.is_scalar, regno, reg, "scalar", idx)
        if not reg.s.is_const():
            raise Reject(Msg.NOT_KNOWN_CONSTANT, regno, insn=idx)
        meta.alloc_size = reg.s.value
        precision.mark(env, st, regno)
        return st
    if kind is Arg.RINGBUF_MEM_RELEASE:
        _expect(reg.base is Base.PTR_TO_MEM and reg.flags == TF.RINGBUF, regno, reg,
                "ringbuf_mem", idx)
        return _release_arg(st, idx, regno, reg, meta)
    if kind is Arg.SOCK_COMMON_RELEASE and reg.base is Base.PTR_TO_BTF_ID:
        raise Unsupported(f"a BTF pointer passed to bpf_{fn.name}", idx)
    if kind is Arg.SOCK_COMMON_RELEASE:
        _expect(reg.base in _SOCK_TYPES and not reg.maybe_null, regno, reg, _SOCK_EXPECTED,
                idx)
        return _release_arg(st, idx, regno, reg, meta)
    if kind is Arg.BTF_ID_SOCK_COMMON and reg.base is Base.PTR_TO_BTF_ID:
        raise Unsupported(f"a BTF pointer passed to bpf_{fn.name}", idx)
    if kind is Arg.BTF_ID_SOCK_COMMON:
        _expect(reg.base in _SOCK_TYPES and not reg.maybe_null, regno, reg, _SOCK_EXPECTED,
                idx)
        meta.ref_obj_id = reg.ref_obj_id  # a pointer cast keeps the reference
        return st
    if kind is Arg.SOCK_COMMON:
        _expect(reg.base in _SOCK_TYPES and not reg.maybe_null, regno, reg,
                "sock_common, sock, tcp_sock, xdp_sock", idx)
        meta.ref_obj_id = reg.ref_obj_id  # a pointer cast keeps the reference
        return st
    if kind is Arg.SPIN_LOCK:
        return _spin_lock_arg(env, st, idx, regno, reg, fn)
    if kind is Arg.TIMER:
        meta.map = _timer_arg(env, idx, regno, reg)
        return st
    if kind is Arg.BTF_ID_OR_NULL and reg.is_null:
        return st
    if kind in (Arg.BTF_ID, Arg.BTF_ID_OR_NULL):
        return _btf_id_arg(env, st, idx, regno, reg, fn)
    if kind is Arg.CONST_STR:
        _expect(reg.base is Base.PTR_TO_MAP_VALUE and not reg.maybe_null, regno, reg,
                "map_value", idx)
        _const_str(idx, regno, reg)
        return st
    if kind is Arg.FUNC:
        _expect(reg.base is Base.PTR_TO_FUNC, regno, reg, "func", idx)
        if reg.off or not reg.s.is_const() or reg.s.value:
            raise Unsupported("a modified callback pointer", idx)
        return st
    if kind in _DYNPTR_ARGS:
        return _dynptr_arg(env, st, idx, regno, reg, kind, meta)
    if kind is Arg.KPTR_XCHG_DEST:
        meta.kptr = kptr.xchg_dest(env, idx, regno, reg)
        return st
    if kind is Arg.KPTR_XCHG_NEW:
        return _kptr_new(env, st, idx, regno, reg, meta)
    if kind is Arg.STACK_OR_NULL:
        if reg.is_null:
            return st
        _expect(reg.base is Base.PTR_TO_STACK, regno, reg, "fp", idx)
        return st
    raise Unsupported(f"helper argument kind {kind.name}", idx)


_DYNPTR_ARGS = {Arg.DYNPTR: dynptr.Arg(), Arg.DYNPTR_RINGBUF_RELEASE: dynptr.Arg(
    type=DynType.RINGBUF), Arg.DYNPTR_LOCAL_UNINIT: dynptr.Arg(True, DynType.LOCAL),
    Arg.DYNPTR_RINGBUF_UNINIT: dynptr.Arg(True, DynType.RINGBUF)}


def _dynptr_arg(env: Env, st: State, idx: int, regno: int, reg: Reg, kind: Arg,
                meta: _Meta) -> State:
    """``ARG_PTR_TO_DYNPTR``: a stack pointer (check_reg_type), the release check of a
    submit/discard, then ``process_dynptr_func``."""
    _expect(reg.base in (Base.PTR_TO_STACK, Base.CONST_PTR_TO_DYNPTR), regno, reg,
            "fp, dynptr_ptr", idx)
    if reg.base is Base.CONST_PTR_TO_DYNPTR and kind is Arg.DYNPTR_RINGBUF_RELEASE:
        raise Reject(Msg.DYNPTR_CONST_RELEASE, insn=idx)
    if kind is Arg.DYNPTR_RINGBUF_RELEASE:
        if dynptr.unacquired(st, reg):
            raise Reject(Msg.DYNPTR_UNACQUIRED, regno, insn=idx)
        meta.release_regno = regno
    if meta.dynptr is not None:
        raise Unsupported("two dynptr arguments to a helper", idx)
    st, meta.dynptr = dynptr.process(env, st, idx, regno, _DYNPTR_ARGS[kind])
    return st


def _const_str(idx: int, regno: int, reg: Reg) -> None:
    """``check_reg_const_str``: a constant address in a frozen read-only array map's value,
    with a NUL before the value's end (the map's initial bytes)."""
    m = reg.map
    assert m is not None
    if not (m.map_flags & BPF_F_RDONLY_PROG and m.frozen):
        raise Reject(Msg.NOT_RDONLY_MAP, regno, insn=idx)
    if not reg.s.is_const():
        raise Reject(Msg.NOT_CONST_ADDRESS, regno, insn=idx)
    if m.map_type is not MapType.ARRAY:
        raise Unsupported(f"a constant string in a {m.map_type.name} map", idx)
    region(idx, regno, reg, reg.off, m.value_size - reg.off, m.value_size, "map value")
    if m.max_entries != 1:
        raise Reject(Msg.CONST_STR_DIRECT, insn=idx)
    at = reg.off + reg.s.value
    if 0 not in m.initial[at:m.value_size].ljust(m.value_size - at, b"\0"):
        raise Reject(Msg.STR_NOT_TERMINATED, insn=idx)


def _btf_id_arg(env: Env, st: State, idx: int, regno: int, reg: Reg, fn: Helper) -> State:
    """``ARG_PTR_TO_BTF_ID``: a (trusted, RCU or plain) pointer to the helper's struct."""
    _expect(reg.base is Base.PTR_TO_BTF_ID, regno, reg, "ptr_, trusted_ptr_, rcu_ptr_", idx)
    if reg.flags not in (TF.NONE, TF.TRUSTED, TF.RCU):
        raise Unsupported(f"{reg.type_name} passed to bpf_{fn.name}", idx)
    if env.profile.btf[reg.btf_id].name != fn.btf_struct or reg.off:
        raise Unsupported(f"a pointer to another struct passed to bpf_{fn.name}", idx)
    return st


def _kptr_new(env: Env, st: State, idx: int, regno: int, reg: Reg, meta: _Meta) -> State:
    """bpf_kptr_xchg's new value: NULL, or a referenced pointer of the field's type (released
    by the call)."""
    assert meta.kptr is not None
    if reg.is_null:
        meta.release_regno = regno
        return st
    if reg.base is Base.PTR_TO_BTF_ID and reg.flags & TF.ALLOC:
        raise Unsupported("a program-allocated object passed to bpf_kptr_xchg", idx)
    _expect(reg.base is Base.PTR_TO_BTF_ID
            and not reg.flags & ~(TF.TRUSTED | TF.RCU | TF.MAYBE_NULL),
            regno, reg, "ptr_, trusted_ptr_, rcu_ptr_", idx)
    if reg.maybe_null:
        raise Reject(Msg.NULL_TO_HELPER, regno, insn=idx)
    kptr.match_type(env, meta.kptr, reg, regno, idx)
    return _release_arg(st, idx, regno, reg, meta)


def _release_arg(st: State, idx: int, regno: int, reg: Reg, meta: _Meta) -> State:
    if reg.off or not reg.s.is_const() or reg.s.value:
        raise Reject(Msg.RELEASE_OFFSET, regno, insn=idx)
    if not reg.ref_obj_id:
        raise Reject(Msg.RELEASE_UNREFERENCED, regno, insn=idx)
    meta.release_regno, meta.ref_obj_id = regno, reg.ref_obj_id
    return st


def _constant_key(st: State, reg: Reg, key_size: int) -> tuple[int | None, bool]:
    """``get_constant_map_key``: the key's value when the stack bytes it points to hold a
    known constant (zeroed bytes, or a spilled constant scalar of exactly the key's size),
    and whether it is the spilled one."""
    if reg.base is not Base.PTR_TO_STACK or not reg.s.is_const():
        return None, False
    slot = -(reg.off + reg.s.value) - 1
    spi, off = divmod(slot, SLOT)
    stack = st.frames[reg.frameno].stack.get(spi, StackSlot())
    kinds = stack.kinds
    zero = 0
    while off - zero >= 0 and kinds[off - zero] is SlotKind.ZERO:
        zero += 1
    if zero >= key_size:
        return 0, False
    spilled = stack.spilled
    if spilled is None or not spilled.is_scalar or kinds[SLOT - 1] is not SlotKind.SPILL:
        return None, False
    spill = 0
    while off - spill >= 0 and kinds[off - spill] is SlotKind.SPILL:
        spill += 1
    if spill != key_size or not spilled.s.is_const():
        return None, False
    return spilled.s.value, True


def _spin_lock_arg(env: Env, st: State, idx: int, regno: int, reg: Reg, fn: Helper) -> State:
    """``process_spin_lock``."""
    _expect(reg.base is Base.PTR_TO_MAP_VALUE and not reg.maybe_null, regno, reg,
            "map_value, ptr_", idx)
    if not reg.s.is_const():
        raise Reject(Msg.LOCK_VAR_OFF, regno, insn=idx)
    assert reg.map is not None
    lock = env.spin_lock_offset(reg.map)
    if lock is None:
        raise Reject(Msg.LOCK_NO_FIELD, reg.map.name, insn=idx)
    off = reg.s.value + reg.off
    if off != lock:
        raise Reject(Msg.LOCK_OFFSET, off, lock, insn=idx)
    held = (reg.map.name, reg.id)
    if fn.name == "spin_lock":
        if st.lock is not None:
            raise Reject(Msg.LOCK_TWICE, insn=idx)
        return replace(st, lock=held)
    if st.lock is None:
        raise Reject(Msg.LOCK_WITHOUT, insn=idx)
    if st.lock != held:
        raise Reject(Msg.LOCK_DIFFERENT, insn=idx)
    return kfunc_graph.end_non_owning(replace(st, lock=None))


def _timer_arg(env: Env, idx: int, regno: int, reg: Reg) -> MapSpec:
    """``process_timer_func``: a map value pointer at the value's ``struct bpf_timer``."""
    _expect(reg.base is Base.PTR_TO_MAP_VALUE and not reg.maybe_null, regno, reg, "map_value",
            idx)
    if not reg.s.is_const():
        raise Reject(Msg.TIMER_VAR_OFF, regno, insn=idx)
    assert reg.map is not None
    if not reg.map.name:
        raise Unsupported("timers of inner maps", idx)
    if env.prog_btf is None or not reg.map.btf_value_type_id:
        raise Unsupported("timers in a map without BTF", idx)
    timer = next((off for off, _, name in env.map_fields(reg.map) if name == "bpf_timer"), None)
    if timer is None:
        raise Reject(Msg.TIMER_NO_FIELD, reg.map.name, insn=idx)
    off = reg.s.value + reg.off
    if off != timer:
        raise Reject(Msg.TIMER_OFFSET, off, timer, insn=idx)
    return reg.map


def _ret(env: Env, st: State, idx: int, fn: Helper, meta: _Meta) -> Reg:
    if fn.ret is Ret.INTEGER and fn.ret_size_bound:  # do_refine_retval_range
        return scalar(sc.Scalar.from_ranges(smin=-MAX_ERRNO, smax=meta.msize_max,
                                            s32_min=-MAX_ERRNO, s32_max=meta.msize_max))
    if fn.ret is Ret.INTEGER:
        return SCALAR_UNKNOWN
    if fn.ret is Ret.VOID:
        return NOT_INIT
    if fn.ret is Ret.MAP_VALUE_OR_NULL:
        assert meta.map is not None
        if meta.map.map_type in _MAP_IN_MAP:
            return _inner_map(env, idx, meta.map)
        if meta.map.map_type in _NOT_LOOKUP:
            raise Unsupported(f"map_lookup_elem on a {meta.map.map_type.name} map", idx)
        if meta.const_key is not None and meta.const_key < meta.map.max_entries:
            # never NULL; a fresh id still names the value's (resilient) spin lock
            locked = any(name in _LOCK_FIELDS for _, _, name in env.map_fields(meta.map))
            return pointer(Base.PTR_TO_MAP_VALUE, map=meta.map,
                           id=env.new_id() if locked else 0)
        return pointer(Base.PTR_TO_MAP_VALUE, TF.MAYBE_NULL, map=meta.map, id=env.new_id())
    if fn.ret is Ret.RINGBUF_MEM_OR_NULL:
        return pointer(Base.PTR_TO_MEM, TF.RINGBUF | TF.MAYBE_NULL, mem_size=meta.alloc_size)
    if fn.ret in _SOCK_RETS and fn.ptr_cast:  # the argument's reference, a new id
        return pointer(_SOCK_RETS[fn.ret], TF.MAYBE_NULL, id=env.new_id(),
                       ref_obj_id=meta.ref_obj_id)
    if fn.ret in _SOCK_RETS:
        return pointer(_SOCK_RETS[fn.ret], TF.MAYBE_NULL)
    if fn.ret is Ret.BTF_ID_OR_NULL:
        found = env.profile.btf.by_name(fn.btf_struct, Kind.STRUCT)
        if not found:
            raise Unsupported(f"bpf_{fn.name} without struct {fn.btf_struct}", idx)
        return pointer(Base.PTR_TO_BTF_ID, TF.MAYBE_NULL, btf_id=found[0].id, id=env.new_id(),
                       ref_obj_id=meta.ref_obj_id if fn.ptr_cast else 0)
    if fn.ret is Ret.DYNPTR_MEM_OR_NULL:
        assert meta.dynptr is not None
        r0 = pointer(Base.PTR_TO_MEM, TF.MAYBE_NULL, mem_size=meta.alloc_size,
                     id=env.new_id(), dynptr_id=meta.dynptr.id,
                     ref_obj_id=meta.dynptr.ref_obj_id)
        return r0
    if fn.ret is Ret.KPTR_OR_NULL:
        assert meta.kptr is not None
        return pointer(Base.PTR_TO_BTF_ID, TF.MAYBE_NULL, btf_id=meta.kptr.btf_id)
    if fn.ret is Ret.CURRENT_TASK_BTF:
        task = env.profile.btf.by_name("task_struct", Kind.STRUCT)
        if not task:
            raise Unsupported("bpf_get_current_task_btf without struct task_struct", idx)
        return pointer(Base.PTR_TO_BTF_ID, TF.TRUSTED, btf_id=task[0].id)
    raise Unsupported(f"helper return kind {fn.ret.name}", idx)


def _inner_map(env: Env, idx: int, outer: MapSpec) -> Reg:
    """A lookup in a map of maps gives the inner map (its template, ``inner_map_meta``, which
    has no name) or NULL."""
    if outer.inner is None:
        raise Unsupported(f"map_lookup_elem on a {outer.map_type.name} map without its inner "
                          "map's definition", idx)
    return pointer(Base.CONST_PTR_TO_MAP, TF.MAYBE_NULL, map=replace(outer.inner, name=""),
                   id=env.new_id())


def acquire(env: Env, st: State, idx: int, reg: Reg) -> tuple[State, Reg]:
    """``acquire_reference_state``: a new reference held by ``reg`` (its id and ref_obj_id)."""
    ref = env.new_id()
    st = replace(st, refs=(*st.refs, RefState(ref, idx)))
    return st, replace(reg, id=ref, ref_obj_id=ref)


_LOCK_FIELDS = frozenset({"bpf_spin_lock", "bpf_res_spin_lock"})
# can_elide_value_nullness: a lookup with a constant in-range key cannot fail
_CONST_KEY_MAPS = frozenset({MapType.ARRAY, MapType.PERCPU_ARRAY})
_MAP_IN_MAP = frozenset({MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS})
_NOT_LOOKUP = frozenset({MapType.PROG_ARRAY, MapType.RINGBUF, MapType.PERF_EVENT_ARRAY,
                         MapType.SOCKMAP, MapType.SOCKHASH, MapType.DEVMAP,
                         MapType.DEVMAP_HASH, MapType.CPUMAP, MapType.XSKMAP})


# ---- exit ----


def do_exit(env: Env, st: State, insn: Insn) -> None:
    """``BPF_EXIT`` of the main program (or of a global function verified on its own): no
    lock held, no reference leaked, R0 in range."""
    idx = insn.index
    check_resource_leak(st, idx, EXIT_PREFIX)
    r0 = check_reg_read(st, 0, idx)
    if env.root:  # a global function verified on its own returns a scalar
        if not r0.is_scalar:
            raise Reject(Msg.SUBPROG_RET_NOT_SCALAR, 0, r0.type_name, insn=idx)
        return
    if r0.is_pointer:
        raise Reject(Msg.LEAKS_RETURN, 0, insn=idx)
    rng = env.info.ret_range
    where = "At program exit"
    if rng is None:
        return
    precision.mark(env, st, 0)
    lo, hi = rng
    s = r0.s
    if not lo <= s.smin <= s.smax <= hi:
        raise Reject(Msg.RETVAL_RANGE, where, 0, range_text(s), lo, hi, insn=idx)


def check_resource_leak(st: State, idx: int, prefix: str, check_lock: bool = True) -> None:
    """``check_resource_leak``: at an exit (``prefix`` says which) no lock may be held, no irq
    state saved, no reference left, no RCU section or preemption-disabled region open
    (``check_lock`` False: an exception thrown in a subprogram, references only)."""
    if not check_lock:
        refs = [r for r in st.refs if r.kind == "ptr"]
        if refs:
            raise Reject(Msg.LEAK, prefix, insn=idx,
                         before=Msg.UNRELEASED.format(refs[0].id, refs[0].insn))
        return
    if st.locked:
        raise Reject(Msg.IN_REGION, prefix, SPIN_LOCK_REGION, insn=idx)
    if any(r.kind == "irq" for r in st.refs):
        raise Reject(Msg.IN_REGION, prefix, IRQ_REGION, insn=idx)
    refs = [r for r in st.refs if r.kind == "ptr"]
    if refs:
        raise Reject(Msg.LEAK, prefix, insn=idx,
                     before=Msg.UNRELEASED.format(refs[0].id, refs[0].insn))
    if st.rcu:
        raise Reject(Msg.IN_REGION, prefix, RCU_REGION, insn=idx)
    if st.preempt:
        raise Reject(Msg.IN_REGION, prefix, PREEMPT_REGION, insn=idx)


def range_text(s: sc.Scalar) -> str:
    """``verbose_invalid_scalar``: the register's signed bounds as far as they are known."""
    parts = ""
    if s.smin > sc.S64_MIN:
        parts += f" smin={s.smin}"
    if s.smax < sc.S64_MAX:
        parts += f" smax={s.smax}"
    return parts or " unknown scalar value"

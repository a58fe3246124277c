"""kfunc calls (``check_kfunc_call``, ``check_kfunc_args``), table-driven: every rule is
selected by a ``KF_*`` flag, a family or an argument's kind (its BTF type and annotation), read
from the profile's kfunc table; no rule names a kfunc. Families and argument kinds kfcheck does
not model yet make the program ``unsupported``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kfcheck.btf import Btf, BtfType, Kind
from kfcheck.errors import BtfError
from kfcheck.isa.insn import Insn
from kfcheck.isa.opcodes import Op
from kfcheck.profile.kfuncs.schema import Annotation, ArgSpec, Family, KfFlag, KfuncSpec
from kfcheck.uapi import MapType
from kfcheck.verifier import (
    btfptr,
    dynptr,
    kfunc_alloc,
    kfunc_cb,
    kfunc_graph,
    kfunc_irq,
    kfunc_iter,
    kfunc_reslock,
    precision,
)
from kfcheck.verifier.calls import (
    MAX_VAR_SIZ,
    acquire,
    check_resource_leak,
    invalidate_packet_pointer,
)
from kfcheck.verifier.env import Env
from kfcheck.verifier.mem import helper_mem
from kfcheck.verifier.messages import THROW_PREFIX, Msg, Reject, Unsupported
from kfcheck.verifier.state import (
    NOT_INIT,
    SCALAR_UNKNOWN,
    TF,
    Base,
    DynptrInfo,
    DynType,
    Reg,
    State,
    const,
    map_regs,
    pointer,
    release_reference,
    type_str,
)

MAX_ARGS = 5  # MAX_BPF_FUNC_REG_ARGS
# Families whose rules kfcheck models (a kfunc in any other family is unsupported).
_MODELLED = (Family.RCU_LOCK | Family.RCU_UNLOCK | Family.PREEMPT_DISABLE
             | Family.PREEMPT_ENABLE | Family.SPIN_ALLOWED | Family.CAST_KERN_CTX
             | Family.CTX_ARG | Family.RDONLY_CAST | Family.OBJ_NEW | Family.PERCPU_OBJ_NEW
             | Family.OBJ_DROP | Family.PERCPU_OBJ_DROP | Family.IRQ_SAVE | Family.IRQ_RESTORE
             | Family.THROW | Family.REFCOUNT_ACQUIRE | Family.GRAPH_API | Family.ITER_NUM
             | Family.RES_LOCK | Family.RES_UNLOCK | Family.RES_SPIN_LOCK | Family.ITER_CSS_TASK
             | Family.LIST_PUSH | Family.LIST_API | Family.LIST_NODE_API | Family.RBTREE_ADD
             | Family.RBTREE_API | Family.RBTREE_NODE_API | Family.RBTREE_LOCK_REQUIRED
             # sync callbacks: a callback argument itself is unsupported (_pointer_arg)
             | Family.CALLBACK_SYNC | Family.CALLBACK_CALLING
             | Family.DYNPTR_CTOR | Family.DYNPTR_FROM_SKB | Family.DYNPTR_FROM_XDP
             | Family.DYNPTR_FROM_SKB_META | Family.DYNPTR_CLONE | Family.DYNPTR_SLICE
             | Family.DYNPTR_SLICE_RDWR | Family.DEV_BOUND
             | Family.PKT_CHANGING | Family.RET_UNTRUSTED
             | Family.SESSION_COOKIE | Family.CALLBACK_ASYNC | Family.WQ
             | Family.TASK_WORK)
# Flags whose rules kfcheck models.
_MODELLED_FLAGS = (KfFlag.KF_ACQUIRE | KfFlag.KF_RELEASE | KfFlag.KF_RET_NULL
                   | KfFlag.KF_TRUSTED_ARGS | KfFlag.KF_SLEEPABLE | KfFlag.KF_DESTRUCTIVE
                   | KfFlag.KF_RCU | KfFlag.KF_RCU_PROTECTED | KfFlag.KF_FASTCALL
                   | KfFlag.KF_ITER_NEW | KfFlag.KF_ITER_NEXT | KfFlag.KF_ITER_DESTROY)
# Annotations kfcheck models; others (and argument kinds found by BTF type: dynptrs,
# iterators, graph roots and nodes, timers...) are unsupported.
_MODELLED_ANNOTATIONS = frozenset({None, Annotation.SZ, Annotation.SZK, Annotation.K,
                                   Annotation.IGN, Annotation.NULLABLE, Annotation.ALLOC,
                                   Annotation.IRQ_FLAG, Annotation.REFCOUNTED_KPTR,
                                   Annotation.ITER, Annotation.UNINIT, Annotation.OPT,
                                   Annotation.MAP, Annotation.PROG})
# kf_arg_btf_ids and iterators: pointer arguments of these struct types have their own kinds
_SPECIAL_STRUCTS = frozenset({"bpf_dynptr", "bpf_list_head", "bpf_list_node", "bpf_rb_root",
                              "bpf_rb_node", "bpf_wq", "bpf_timer", "bpf_task_work",
                              "bpf_res_spin_lock", "bpf_prog_aux"})
# UAPI context structs: a pointer argument to one is a ctx argument (btf_is_prog_ctx_type)
_CTX_STRUCTS = frozenset({"__sk_buff", "xdp_md", "bpf_sock_ops", "bpf_sock_addr", "sk_msg_md",
                          "sk_reuseport_md", "bpf_sk_lookup", "bpf_sockopt", "bpf_sysctl",
                          "bpf_cgroup_dev_ctx", "bpf_perf_event_data",
                          "bpf_raw_tracepoint_args", "bpf_nf_ctx", "pt_regs", "bpf_sock"})
# families whose acquired results need not be struct pointers (check_kfunc_call's exception)
_ACQUIRE_ANY_RETURN = Family.OBJ_NEW | Family.PERCPU_OBJ_NEW | Family.REFCOUNT_ACQUIRE
_MEM_BASES = frozenset({Base.PTR_TO_STACK, Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META,
                        Base.PTR_TO_MAP_VALUE, Base.PTR_TO_MEM})


@dataclass(slots=True)
class _Meta:
    """``struct bpf_kfunc_call_arg_meta``: what the arguments told the call."""

    ref_obj_id: int = 0
    release_regno: int = 0
    constant: int | None = None  # the __k argument's value
    refcounted: int = 0  # the object type of an owning __refcounted_kptr argument
    iter: tuple[int, int] | None = None  # (frame, slot) of the iterator a next call advances
    refcounted_owning: bool = False  # that argument is an owning reference
    graph_root: kfunc_graph.GraphRoot | None = None  # the bpf_list_head / bpf_rb_root argument
    inserted: int = 0  # the owning reference a LIST_PUSH / RBTREE_ADD call inserts
    dynptr: DynptrInfo | None = None  # the initialised dynptr argument (initialized_dynptr)
    subprogno: int | None = None  # the callback argument's subprogram
    map: kfunc_cb.MapDesc = field(default_factory=kfunc_cb.MapDesc)  # meta->map


def do_kfunc_call(env: Env, st: State, insn: Insn) -> list[tuple[State, int]]:
    """One kfunc call, in the kernel's order of checks; the states after it and where they
    go on (none: the call ends the path, as a thrown exception does; two: an iterator's next
    call, or a callback's body to explore)."""
    idx = insn.index
    callback: list[tuple[State, int]] = []
    after = _call(env, st, insn, callback)
    return [(s, idx + 1) for s in after] + callback


def _call(env: Env, st: State, insn: Insn, callback: list[tuple[State, int]]) -> list[State]:
    idx = insn.index
    if insn.off:
        raise Unsupported("module kfunc calls", idx)
    table = env.profile.table
    spec = table.kfunc(insn.imm)
    if spec is None:
        raise Unsupported(f"kfunc with BTF id {insn.imm} (not in the profile's table)", idx)
    if st.locked and not table.in_family(spec.btf_id, Family.SPIN_ALLOWED):
        raise Reject(Msg.CALL_IN_LOCK, insn=idx)
    has_arena = any(m.map_type == MapType.ARENA for m in env.program.maps)
    if not spec.allows(env.program.prog_type, env.program.expected_attach_type, has_arena):
        raise Reject(Msg.KFUNC_NOT_ALLOWED, spec.name, insn=idx)
    if table.in_family(spec.btf_id, Family.TRAP):
        raise Reject(Msg.KFUNC_TRAP, insn=idx)
    _check_modelled(spec, idx)
    if not btfptr.gpl(env.program.license):
        raise Unsupported("kfunc calls from non-GPL programs", idx)
    sleepable = spec.has(KfFlag.KF_SLEEPABLE)
    if sleepable and not env.program.sleepable:
        raise Reject(Msg.KFUNC_SLEEPABLE_PROG, spec.name, insn=idx)
    failed = (kfunc_reslock.failure_state(st)
              if table.in_family(spec.btf_id, Family.RES_LOCK) else None)
    meta = _Meta()
    st = _check_args(env, st, idx, spec, meta)
    if table.refused(spec):
        raise Reject(Msg.KFUNC_REFUSED, spec.name, insn=idx)
    if meta.subprogno is not None:
        if not table.in_family(spec.btf_id, Family.CALLBACK_CALLING):
            raise Unsupported("a callback passed to a kfunc that calls none", idx)
        cb = kfunc_cb.push_callback(env, st, idx, spec, meta.subprogno, meta.graph_root,
                                    meta.map)
        callback.append((cb, env.subprogs[meta.subprogno]))
    st = _regions(env, st, idx, spec, sleepable)
    if spec.has(KfFlag.KF_RCU_PROTECTED) and not btfptr.in_rcu_cs(env, st):
        raise Reject(Msg.KFUNC_RCU_PROTECTED, spec.name, insn=idx)
    if meta.release_regno:
        if not any(r.id == meta.ref_obj_id for r in st.refs):
            raise Reject(Msg.KFUNC_NOT_ACQUIRED, spec.name, spec.btf_id, insn=idx)
        st = release_reference(st, meta.ref_obj_id)
    if meta.inserted:
        st = kfunc_graph.make_non_owning(env, st, meta.inserted)
    if table.in_family(spec.btf_id, Family.THROW):
        check_resource_leak(st, idx, THROW_PREFIX, check_lock=len(st.frames) == 1)
        return []  # the program ends here (the default exception callback returns)
    for regno in range(1, 6):
        st = st.with_reg(regno, NOT_INIT)
    st = _ret(env, st, idx, spec, meta)
    if table.in_family(spec.btf_id, Family.PKT_CHANGING):
        st = map_regs(st, invalidate_packet_pointer)
    if spec.has(KfFlag.KF_ITER_NEXT):
        if meta.iter is None:
            raise Unsupported("iterator next call without an iterator", idx)
        return kfunc_iter.next_states(st, meta.iter)
    if failed is not None:  # the lock is taken (R0 0), or not (the failure path)
        return [st.with_reg(0, const(0)), failed]
    return [st]


def add_kfunc_calls(env: Env) -> None:
    """``add_kfunc_call`` for every kfunc call of the program, before verification: the
    DEV_BOUND family needs a device-bound program (kfcheck loads none)."""
    table = env.profile.table
    for insn in env.insns:
        if insn is None or insn.op is not Op.CALL_KFUNC or insn.off:
            continue
        spec = table.kfunc(insn.imm)
        if spec is not None and table.in_family(spec.btf_id, Family.DEV_BOUND):
            raise Reject(Msg.KFUNC_DEV_BOUND, insn=insn.index)


def _check_modelled(spec: KfuncSpec, idx: int) -> None:
    other = spec.family_mask & ~_MODELLED
    if other:
        names = ", ".join(f.name for f in Family if f & other)
        raise Unsupported(f"kfunc family {names}", idx)
    flags = spec.flags & ~_MODELLED_FLAGS
    if flags:
        names = ", ".join(f.name or "" for f in KfFlag if f & flags)
        raise Unsupported(f"kfunc flag {names}", idx)
    for arg in spec.args:
        if arg.annotation not in _MODELLED_ANNOTATIONS:
            what = arg.annotation.value if arg.annotation else ""
            raise Unsupported(f"kfunc arguments annotated {what}", idx)


def _regions(env: Env, st: State, idx: int, spec: KfuncSpec, sleepable: bool) -> State:
    """RCU read-side sections and preemption: the counters, nesting rules, and sleepable
    kfuncs inside them."""
    table = env.profile.table
    rcu_lock = table.in_family(spec.btf_id, Family.RCU_LOCK)
    rcu_unlock = table.in_family(spec.btf_id, Family.RCU_UNLOCK)
    if st.rcu:
        if rcu_lock:
            raise Reject(Msg.KFUNC_RCU_NESTED, spec.name, insn=idx)
        if rcu_unlock:
            st = kfunc_iter.rcu_ended(map_regs(st, _rcu_ended))
            st = replace(st, rcu=0)
        elif sleepable:
            raise Reject(Msg.KFUNC_SLEEPABLE_IN, spec.name, "rcu_read_lock region", insn=idx)
    elif rcu_lock:
        st = replace(st, rcu=1)
    elif rcu_unlock:
        raise Reject(Msg.KFUNC_RCU_UNMATCHED, spec.name, insn=idx)
    disable = table.in_family(spec.btf_id, Family.PREEMPT_DISABLE)
    enable = table.in_family(spec.btf_id, Family.PREEMPT_ENABLE)
    if st.preempt:
        if disable or enable:
            st = replace(st, preempt=st.preempt + (1 if disable else -1))
        elif sleepable:
            raise Reject(Msg.KFUNC_SLEEPABLE_IN, spec.name, "non-preemptible region",
                         insn=idx)
    elif disable:
        st = replace(st, preempt=1)
    elif enable:
        raise Reject(Msg.KFUNC_PREEMPT_UNMATCHED, spec.name, insn=idx)
    if sleepable and kfunc_irq.irq_regions(st):
        raise Reject(Msg.KFUNC_SLEEPABLE_IN, spec.name, "IRQ-disabled region", insn=idx)
    return st


def _rcu_ended(reg: Reg) -> Reg:
    """The end of an RCU read-side section: RCU pointers become untrusted."""
    if reg.base is Base.PTR_TO_BTF_ID and reg.flags & TF.RCU:
        return replace(reg, flags=(reg.flags & ~(TF.RCU | TF.MAYBE_NULL)) | TF.UNTRUSTED)
    return reg


# ---- arguments ----


def _check_args(env: Env, st: State, idx: int, spec: KfuncSpec, meta: _Meta) -> State:
    """``check_kfunc_args``."""
    if len(spec.args) > MAX_ARGS:
        raise Reject(Msg.KFUNC_TOO_MANY_ARGS, spec.name, len(spec.args), MAX_ARGS, insn=idx)
    btf = env.profile.btf
    i = 0
    while i < len(spec.args):
        arg, regno = spec.args[i], i + 1
        t = btf[btf.resolve(arg.type_id)] if arg.type_id else None
        if arg.annotation in (Annotation.IGN, Annotation.PROG):  # __prog: filled in
            i += 1
            continue
        if t is not None and t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64):
            _scalar_arg(env, st, regno, arg, idx, meta)
            i += 1
            continue
        if t is None or t.kind is not Kind.PTR:
            raise Unsupported(f"kfunc argument of kind {t.kind.name if t else 'void'}", idx)
        st, skip = _pointer_arg(env, st, idx, spec, i, meta)
        i += 1 + skip
    if spec.has(KfFlag.KF_RELEASE) and not meta.release_regno:
        raise Reject(Msg.KFUNC_RELEASE_UNREF, spec.name, insn=idx)
    return st


def _scalar_arg(env: Env, st: State, regno: int, arg: ArgSpec, idx: int,
                meta: _Meta) -> None:
    reg = st.reg(regno)
    if reg.base is not Base.SCALAR:
        raise Reject(Msg.KFUNC_NOT_SCALAR, regno, insn=idx)
    if arg.annotation is Annotation.K:
        if not reg.s.is_const():
            raise Reject(Msg.KFUNC_NOT_CONST, regno, insn=idx)
        if meta.constant is not None:
            raise Unsupported("two constant kfunc arguments", idx)
        meta.constant = reg.s.value
        precision.mark(env, st, regno)
    if arg.name in (Annotation.RDONLY_BUF_SIZE.value, Annotation.RDWR_BUF_SIZE.value):
        raise Unsupported("kfuncs returning buffers sized by an argument", idx)


def _pointer_arg(env: Env, st: State, idx: int, spec: KfuncSpec, i: int,
                 meta: _Meta) -> tuple[State, int]:
    """One pointer argument: (state, 1 if the next argument was its size)."""
    btf = env.profile.btf
    table = env.profile.table
    arg, regno = spec.args[i], i + 1
    reg = st.reg(regno)
    if reg.base is Base.NOT_INIT:
        raise Unsupported("uninitialised register passed to a kfunc", idx)
    nullable = arg.annotation is Annotation.NULLABLE
    trusted_args = table.args_trusted(spec)
    rcu_args = spec.has(KfFlag.KF_RCU)
    if (trusted_args or rcu_args) and (reg.is_null or reg.maybe_null) and not nullable:
        if arg.annotation is Annotation.OPT:
            # a build trusting every argument lets a NULL __opt buffer pass (recorded); the
            # others' rule for a trusted kfunc's __opt argument is not known
            if not table.file.args_trusted_by_default:
                raise Unsupported("NULL passed as an __opt argument of a trusted kfunc", idx)
        else:
            raise Reject(Msg.KFUNC_NULL_ARG, i, insn=idx)
    if reg.ref_obj_id:
        if spec.has(KfFlag.KF_RELEASE) and meta.ref_obj_id:
            raise Unsupported("two referenced arguments to a release kfunc", idx)
        meta.ref_obj_id = reg.ref_obj_id
        if spec.has(KfFlag.KF_RELEASE):
            meta.release_regno = regno
    ptr = btf[btf.resolve(arg.type_id)]
    ref_id = btf.resolve(ptr.type) if ptr.type else 0
    ref_t = btf[ref_id] if ref_id else None
    kind_str, ref_name = (btf.type_str(ref_id).split(" ", 1) if ref_t else ("UNKNOWN", ""))
    sized = (i + 1 < len(spec.args)
             and spec.args[i + 1].annotation in (Annotation.SZ, Annotation.SZK)
             and st.reg(regno + 1).base is Base.SCALAR)
    is_dynptr = ref_t is not None and ref_t.kind is Kind.STRUCT and ref_t.name == _DYNPTR_STRUCT
    if reg.base is Base.CONST_PTR_TO_DYNPTR and not is_dynptr:
        raise Unsupported("a const dynptr as a kfunc argument other than a dynptr", idx)
    if kfunc_iter.is_iter_arg(spec, i):
        st, meta.iter, ref = kfunc_iter.iter_arg(env, st, idx, spec, i, reg)
        if ref:
            meta.ref_obj_id = ref
        return st, 0
    if is_dynptr:
        return _dynptr_arg(env, st, idx, spec, i, reg, meta), 0
    if (ref_t is not None and ref_t.kind is Kind.STRUCT and ref_t.name in _CTX_STRUCTS
            and ref_t.name in env.info.ctx_type_names):  # btf_is_prog_ctx_type
        _ctx_arg(idx, i, reg)
        return st, 0
    if ref_t is not None and ref_t.kind is Kind.STRUCT and ref_t.name == kfunc_reslock.LOCK_FIELD:
        return kfunc_reslock.lock_arg(env, st, idx, spec, i, reg), 0
    if ref_t is not None and ref_t.kind is Kind.STRUCT and ref_t.name in kfunc_graph.ROOTS:
        kfunc_graph.check_fixed_off(idx, regno, reg)
        meta.graph_root = kfunc_graph.root_arg(env, st, idx, spec, i, reg, ref_t.name)
        return st, 0
    if ref_t is not None and ref_t.kind is Kind.STRUCT and ref_t.name in kfunc_graph.NODES:
        kfunc_graph.check_fixed_off(idx, regno, reg)
        meta.inserted = kfunc_graph.node_arg(env, idx, spec, i, reg, ref_t.name,
                                             meta.graph_root, kfunc_cb.in_rbtree_cb(env, st))
        return st, 0
    if arg.annotation is Annotation.MAP:
        kfunc_cb.map_arg(env, idx, i, reg, meta.map)
        return st, 0
    if ref_t is not None and ref_t.kind is Kind.STRUCT and ref_t.name in kfunc_cb.MAP_FIELDS:
        kfunc_cb.map_field_arg(env, idx, i, reg, ref_t.name, meta.map)
        return st, 0
    if reg.base is Base.PTR_TO_FUNC and (ref_t is None or ref_t.kind is not Kind.FUNC_PROTO):
        raise Unsupported("a callback pointer passed as another kfunc argument", idx)
    if ref_t is not None and ref_t.kind is Kind.STRUCT and (
            ref_t.name in _CTX_STRUCTS or ref_t.name in _SPECIAL_STRUCTS
            or ref_t.name.startswith("bpf_iter_")):
        raise Unsupported(f"kfunc arguments of type struct {ref_t.name}", idx)
    if table.in_family(spec.btf_id, Family.CTX_ARG):
        _ctx_arg(idx, i, reg)
        return st, 0
    if nullable and reg.is_null and not sized:
        return st, 0
    if arg.annotation is Annotation.ALLOC:
        _trusted(idx, regno, reg, trusted_args, rcu_args)
        if spec.has(KfFlag.KF_RELEASE) and reg.ref_obj_id:
            _release_offset(idx, regno, reg)
        kfunc_alloc.alloc_arg(env, idx, spec, i, reg)
        return st, 0
    if arg.annotation is Annotation.REFCOUNTED_KPTR:
        meta.refcounted = kfunc_alloc.refcounted_arg(env, idx, i, reg)
        meta.refcounted_owning = not reg.flags & TF.NON_OWN
        return st, 0
    if arg.annotation is Annotation.IRQ_FLAG:
        return kfunc_irq.flag_arg(env, st, idx, spec, i, reg), 0
    if reg.base is Base.PTR_TO_BTF_ID:
        if ref_t is None or ref_t.kind is not Kind.STRUCT:
            raise Reject(Msg.KFUNC_PTR_TYPE, spec.name, i, kind_str, ref_name, insn=idx)
        _btf_id_arg(env, idx, spec, i, reg, ref_id, trusted_args, rcu_args)
        return st, 0
    if reg.base in (Base.PTR_TO_SOCKET, Base.PTR_TO_SOCK_COMMON, Base.PTR_TO_TCP_SOCK,
                    Base.CONST_PTR_TO_MAP):
        raise Unsupported(f"{reg.type_name} passed to a kfunc", idx)
    if ref_t is not None and ref_t.kind is Kind.FUNC_PROTO:
        meta.subprogno = kfunc_cb.callback_arg(idx, i, reg)
        return st, 0
    if not _scalar_or_scalar_struct(btf, ref_t, 0, idx) and not (sized and ref_t is None):
        raise Reject(Msg.KFUNC_NOT_SCALAR_MEM, i, kind_str, ref_name,
                     "void, " if sized else "", insn=idx)
    if (table.file.args_trusted_by_default and not rcu_args and ref_t is not None
            and ref_t.kind is Kind.STRUCT and not sized and not reg.is_null
            and reg.base in (Base.SCALAR, Base.PTR_TO_STACK)):
        # a build trusting every argument checks trust before memory for a struct argument
        # of a kfunc that is not KF_RCU (probed: scalars and stack pointers alike)
        raise Reject(Msg.KFUNC_NOT_TRUSTED, regno, insn=idx)
    if reg.maybe_null:
        raise Unsupported("maybe-NULL memory passed to a kfunc", idx)
    if reg.base is Base.PTR_TO_CTX or (reg.flags & TF.RDONLY) or reg.base is Base.PTR_TO_MAP_VALUE:
        raise Unsupported(f"{reg.type_name} as kfunc memory", idx)
    if sized:
        return _mem_size_arg(env, st, idx, i, spec.args[i + 1].annotation, meta,
                             arg.annotation is Annotation.OPT), 1
    if reg.base is Base.SCALAR:
        if reg.is_null:
            return st, 0
        raise Reject(Msg.ARG_TYPE, regno, reg.type_name, "fp", insn=idx)
    if reg.base not in _MEM_BASES:
        raise Unsupported(f"{reg.type_name} as kfunc memory", idx)
    if ref_t is None:
        raise Unsupported("kfunc void memory without a size", idx)
    try:
        size = btf.size_of(ref_id)
    except BtfError as exc:
        raise Unsupported(f"kfunc memory of type {kind_str} {ref_name}", idx) from exc
    st = helper_mem(env, st, idx, regno, size, write=False, zero_ok=True)  # check_mem_reg:
    return helper_mem(env, st, idx, regno, size, write=True, zero_ok=True), 0  # read, write


_DYNPTR_STRUCT = "bpf_dynptr"
# the dynptr type each constructor family makes (check_kfunc_args, KF_ARG_PTR_TO_DYNPTR)
_CTOR_TYPES = ((Family.DYNPTR_FROM_SKB, DynType.SKB), (Family.DYNPTR_FROM_XDP, DynType.XDP),
               (Family.DYNPTR_FROM_SKB_META, DynType.SKB_META))


def _dynptr_arg(env: Env, st: State, idx: int, spec: KfuncSpec, i: int, reg: Reg,
                meta: _Meta) -> State:
    """``KF_ARG_PTR_TO_DYNPTR``: an ``__uninit`` argument is made a dynptr of the
    constructor family's type (a clone: its parent's type and reference), any other must be
    an initialised dynptr (``meta.dynptr``)."""
    table = env.profile.table
    if reg.base is not Base.PTR_TO_STACK and (reg.off or not reg.s.is_const() or reg.s.value):
        raise Unsupported(f"modified {reg.type_name} passed as a dynptr", idx)
    if spec.has(KfFlag.KF_RELEASE):
        raise Unsupported("kfuncs releasing a dynptr", idx)
    arg = dynptr.Arg()
    if spec.args[i].annotation is Annotation.UNINIT:
        if reg.base is Base.CONST_PTR_TO_DYNPTR:  # MEM_UNINIT | MEM_RDONLY: a verifier bug
            raise Unsupported("a const dynptr as a kfunc's uninit argument", idx)
        types = [t for f, t in _CTOR_TYPES if table.in_family(spec.btf_id, f)]
        if table.in_family(spec.btf_id, Family.DYNPTR_CLONE) and meta.dynptr is not None:
            arg = dynptr.Arg(True, meta.dynptr.type, meta.dynptr.ref_obj_id)
        elif len(types) == 1:
            arg = dynptr.Arg(True, types[0])
        else:
            raise Unsupported("a dynptr constructor of no known type", idx)
    st, info = dynptr.process(env, st, idx, i + 1, arg)
    if not arg.uninit:
        meta.dynptr = info
    return st


def _ctx_arg(idx: int, i: int, reg: Reg) -> None:
    """``KF_ARG_PTR_TO_CTX``: the unmodified context (``check_func_arg_reg_off``, then the
    type)."""
    if reg.base is Base.PTR_TO_CTX and (reg.off or not reg.s.is_const() or reg.s.value):
        if not reg.s.is_const():
            raise Unsupported("variable-offset context passed to a kfunc", idx)
        raise Reject(Msg.CTX_MODIFIED, reg.type_name, i + 1, reg.off + reg.s.value, insn=idx)
    if reg.base is not Base.PTR_TO_CTX:
        if reg.base in (Base.PTR_TO_BTF_ID, Base.PTR_TO_PACKET, Base.PTR_TO_PACKET_META,
                        Base.PTR_TO_MAP_VALUE, Base.PTR_TO_MEM) and (reg.off or reg.s.value):
            raise Unsupported(f"modified {reg.type_name} passed as a kfunc context", idx)
        raise Reject(Msg.KFUNC_CTX_ARG, i, reg.type_name, insn=idx)


def _mem_size_arg(env: Env, st: State, idx: int, i: int, annotation: Annotation | None,
                  meta: _Meta, optional: bool = False) -> State:
    """``KF_ARG_PTR_TO_MEM_SIZE``: the memory and its size (the next argument); an
    ``__opt`` buffer may be NULL (its memory is not checked, its size still is)."""
    regno = i + 1
    reg, size_reg = st.reg(regno), st.reg(regno + 1)
    s = size_reg.s
    if reg.is_null and not optional:
        raise Unsupported("NULL memory with a size passed to a kfunc", idx)
    if not (optional and reg.is_null):
        try:
            if s.smin < 0:
                raise Reject(Msg.SIZE_NEGATIVE, regno + 1, insn=idx)
            if s.umax >= MAX_VAR_SIZ:
                raise Reject(Msg.SIZE_UNBOUNDED, regno + 1, insn=idx)
            if reg.base not in _MEM_BASES:
                raise Reject(Msg.ARG_TYPE, regno, reg.type_name, "fp", insn=idx)
            st = helper_mem(env, st, idx, regno, s.umax, write=True, zero_ok=True)
        except Reject as exc:
            raise Reject(Msg.KFUNC_MEM_PAIR, i, i + 1, insn=idx, before=exc.text) from exc
        for _ in ("read", "write"):  # check_mem_size_reg runs for both accesses
            precision.mark(env, st, regno + 1)
    if annotation is Annotation.SZK:
        if not s.is_const():
            raise Reject(Msg.KFUNC_NOT_CONST, regno + 1, insn=idx)
        if meta.constant is not None:
            raise Unsupported("two constant kfunc arguments", idx)
        meta.constant = s.value
    return st


def _btf_id_arg(env: Env, idx: int, spec: KfuncSpec, i: int, reg: Reg, ref_id: int,
                trusted_args: bool, rcu_args: bool) -> None:
    """``KF_ARG_PTR_TO_BTF_ID``: trust, offset and type."""
    btf = env.profile.btf
    regno = i + 1
    _trusted(idx, regno, reg, trusted_args, rcu_args)
    release = spec.has(KfFlag.KF_RELEASE) and bool(reg.ref_obj_id)
    if not reg.s.is_const():
        raise Unsupported("variable-offset BTF pointer passed to a kfunc", idx)
    off = reg.off + reg.s.value
    if release and off:
        raise Reject(Msg.RELEASE_OFFSET, regno, insn=idx)
    if off < 0:
        raise Reject(Msg.CTX_NEGATIVE, reg.type_name, regno, off, insn=idx)
    if reg.flags & (TF.UNTRUSTED | TF.USER | TF.PERCPU) and not btfptr.is_rcu(reg):
        expected = type_str(Base.PTR_TO_BTF_ID, reg.flags & btfptr.TRUSTED_MODIFIERS)
        raise Reject(Msg.KFUNC_ARG_NOT_BTF, i, reg.type_name, expected, insn=idx)
    if "___" in btf[ref_id].name or "___" in btf[btf.resolve(reg.btf_id)].name:
        raise Unsupported("BTF type flavours (btf_type_ids_nocast_alias)", idx)
    if not _ids_match(btf, reg.btf_id, off, ref_id, strict=release):
        have = btf.resolve(reg.btf_id)
        kind_r, name_r = btf.type_str(ref_id).split(" ", 1)
        kind_h, name_h = btf.type_str(have).split(" ", 1)
        raise Reject(Msg.KFUNC_ARG_TYPE, spec.name, i, kind_r, name_r, regno, kind_h, name_h,
                     insn=idx)


def _trusted(idx: int, regno: int, reg: Reg, trusted_args: bool, rcu_args: bool) -> None:
    """Trusted (or, for KF_RCU, RCU) pointers only."""
    if (trusted_args or rcu_args) and not btfptr.is_trusted(reg):
        if not rcu_args:
            raise Reject(Msg.KFUNC_NOT_TRUSTED, regno, insn=idx)
        if not btfptr.is_rcu(reg):
            raise Reject(Msg.KFUNC_NOT_RCU, regno, insn=idx)


def _release_offset(idx: int, regno: int, reg: Reg) -> None:
    """``check_func_arg_reg_off`` of a released argument: offset zero."""
    if not reg.s.is_const():
        raise Unsupported("variable-offset pointer released by a kfunc", idx)
    if reg.off or reg.s.value:
        raise Reject(Msg.RELEASE_OFFSET, regno, insn=idx)


def _ids_match(btf: Btf, have: int, off: int, want: int, strict: bool) -> bool:
    """``btf_struct_ids_match``: the register's struct at ``off`` is ``want`` (or, unless
    ``strict``, a struct nested at that offset is)."""
    have = btf.resolve(have)
    for _ in range(32):
        if have == want and off == 0:
            return True
        if strict:
            return False
        try:
            step = btfptr.nested_struct_at(btf, have, off)
        except (Reject, Unsupported):
            return False
        if step is None:
            return False
        have, off = step
    return False


def _scalar_or_scalar_struct(btf: Btf, t: object, depth: int, idx: int) -> bool:
    """``btf_type_is_scalar`` or ``__btf_type_is_scalar_struct``."""
    if not isinstance(t, BtfType):
        return False
    if t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64, Kind.FLOAT):
        return True
    if t.kind is not Kind.STRUCT:
        return False
    if depth >= 4:
        raise Reject(Msg.KFUNC_NESTING, insn=idx)
    for m in t.members:
        mt = btf[btf.resolve(m.type)]
        if mt.kind is Kind.ARRAY:
            et = btf[btf.resolve(mt.elem_type)]
            if et.kind not in (Kind.INT, Kind.ENUM, Kind.ENUM64, Kind.FLOAT):
                return False
            continue
        if mt.kind is Kind.STRUCT:
            if not _scalar_or_scalar_struct(btf, mt, depth + 1, idx):
                return False
            continue
        if mt.kind not in (Kind.INT, Kind.ENUM, Kind.ENUM64, Kind.FLOAT):
            return False
    return True


# ---- return value ----


def _ret(env: Env, st: State, idx: int, spec: KfuncSpec, meta: _Meta) -> State:
    btf = env.profile.btf
    table = env.profile.table
    if spec.has(KfFlag.KF_ACQUIRE) and not _returns_struct_ptr(btf, spec) and not (
            spec.family_mask & _ACQUIRE_ANY_RETURN):
        raise Reject(Msg.KFUNC_ACQUIRE_NOT_BTF, insn=idx)
    if table.in_family(spec.btf_id, Family.CAST_KERN_CTX):
        return st.with_reg(0, _kern_ctx(env, idx))
    if table.in_family(spec.btf_id, Family.RDONLY_CAST):
        return st.with_reg(0, _rdonly_cast(env, idx, meta))
    if table.in_family(spec.btf_id, Family.REFCOUNT_ACQUIRE):
        if not meta.refcounted:
            raise Unsupported("reference count acquired without an owning reference", idx)
        r0 = kfunc_alloc.refcounted_object(meta.refcounted)
        return _null_and_acquire(env, st, idx, spec, r0, may_be_null=not meta.refcounted_owning)
    if spec.family_mask & (Family.OBJ_NEW | Family.PERCPU_OBJ_NEW):
        r0 = kfunc_alloc.new_object(env, idx, spec, meta.constant)
        return _null_and_acquire(env, st, idx, spec, r0)
    if table.in_family(spec.btf_id, Family.DYNPTR_SLICE):
        return _null_and_acquire(env, st, idx, spec, _slice(env, idx, spec, meta))
    if meta.graph_root is not None and _returns_struct(btf, spec, kfunc_graph.NODES):
        r0 = kfunc_graph.node_result(env, meta.graph_root, spec.has(KfFlag.KF_ACQUIRE))
        return _null_and_acquire(env, st, idx, spec, r0)
    if not spec.ret_type_id:
        return st.with_reg(0, NOT_INIT)
    t = btf[btf.resolve(spec.ret_type_id)]
    if t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64):
        return st.with_reg(0, SCALAR_UNKNOWN)
    if t.kind is not Kind.PTR:
        raise Unsupported(f"kfunc returning {t.kind.name}", idx)
    if not t.type or btf[btf.resolve(t.type)].kind is Kind.UNKN:
        return st.with_reg(0, SCALAR_UNKNOWN)  # void *: a scalar
    target = btf[btf.resolve(t.type)]
    if target.kind not in (Kind.STRUCT, Kind.UNION):
        try:
            size = btf.size_of(target.id)
        except BtfError:
            size = 0
        if not size:
            kind, name = btf.type_str(target.id).split(" ", 1)
            raise Reject(Msg.KFUNC_RET_TYPE, spec.name, kind, name, insn=idx)
        # the SESSION_COOKIE family's R0 is writable (``meta.r0_rdonly = false``)
        writable = table.in_family(spec.btf_id, Family.SESSION_COOKIE)
        r0 = pointer(Base.PTR_TO_MEM, TF.NONE if writable else TF.RDONLY, mem_size=size,
                     ref_obj_id=meta.ref_obj_id)
    elif table.in_family(spec.btf_id, Family.RET_UNTRUSTED):
        r0 = pointer(Base.PTR_TO_BTF_ID, TF.UNTRUSTED, btf_id=target.id)
    elif (spec.has(KfFlag.KF_ITER_NEXT) and meta.iter is not None
          and not spec.has(KfFlag.KF_RCU_PROTECTED) and not spec.has(KfFlag.KF_ACQUIRE)):
        r0 = pointer(Base.PTR_TO_BTF_ID, kfunc_iter.next_ret_flags(st, meta.iter),
                     btf_id=target.id)
    elif spec.has(KfFlag.KF_RCU_PROTECTED) or not spec.has(KfFlag.KF_ACQUIRE):
        # the trust of non-acquired struct returns is not modelled (6.12 gives plain
        # PTR_TO_BTF_ID, later kernels PTR_TRUSTED)
        raise Unsupported("kfuncs returning a struct pointer they do not acquire", idx)
    else:
        r0 = pointer(Base.PTR_TO_BTF_ID, btf_id=target.id)
    return _null_and_acquire(env, st, idx, spec, r0)


# program types whose may_access_direct_pkt_data refuses writes (recorded or in the kernel's
# selftests); elsewhere without direct packet writes the check is not known
_NO_PKT_WRITE = frozenset({"socket_filter", "cgroup_skb", "tracing"})


def _slice(env: Env, idx: int, spec: KfuncSpec, meta: _Meta) -> Reg:
    """The DYNPTR_SLICE family (``check_special_kfunc``): R0 points to the constant
    ``__szk`` bytes of the dynptr, read-only unless DYNPTR_SLICE_RDWR, which needs packet
    write access (for every dynptr type)."""
    if meta.dynptr is None or meta.constant is None:
        raise Unsupported("a dynptr slice without its dynptr or constant size", idx)
    flags = TF.RDONLY
    if env.profile.table.in_family(spec.btf_id, Family.DYNPTR_SLICE_RDWR):
        flags = TF.NONE
        if not env.info.pkt_write:
            if env.info.name not in _NO_PKT_WRITE:
                raise Unsupported(f"writable dynptr slices in {env.info.name} programs", idx)
            raise Reject(Msg.PKT_WRITE_FORBIDDEN, insn=idx)
    return dynptr.slice_reg(meta.dynptr, meta.constant, flags)


def _returns_struct_ptr(btf: Btf, spec: KfuncSpec) -> bool:
    """``btf_type_is_struct_ptr`` of the return type."""
    if not spec.ret_type_id:
        return False
    t = btf[btf.resolve(spec.ret_type_id)]
    return (t.kind is Kind.PTR and bool(t.type)
            and btf[btf.resolve(t.type)].kind in (Kind.STRUCT, Kind.UNION))


def _returns_struct(btf: Btf, spec: KfuncSpec, names: frozenset[str]) -> bool:
    """The kfunc returns a pointer to one of the structs ``names``."""
    if not _returns_struct_ptr(btf, spec):
        return False
    return btf[btf.resolve(btf[btf.resolve(spec.ret_type_id)].type)].name in names


def _null_and_acquire(env: Env, st: State, idx: int, spec: KfuncSpec, r0: Reg,
                      may_be_null: bool = True) -> State:
    """KF_RET_NULL: R0 may be NULL until checked (``may_be_null`` False: the kernel knows
    better); KF_ACQUIRE: R0 holds a new reference."""
    if spec.has(KfFlag.KF_RET_NULL) and may_be_null:
        r0 = replace(r0, flags=r0.flags | TF.MAYBE_NULL, id=env.new_id())
    if spec.has(KfFlag.KF_ACQUIRE):
        st, r0 = acquire(env, st, idx, r0)
    return st.with_reg(0, r0)


def _kern_ctx(env: Env, idx: int) -> Reg:
    """The CAST_KERN_CTX family: the kernel struct behind the program's context, trusted."""
    found = env.profile.btf.by_name(env.info.kern_ctx, Kind.STRUCT) if env.info.kern_ctx else []
    if not found:
        raise Unsupported(f"the kernel context of {env.info.name} programs", idx)
    return pointer(Base.PTR_TO_BTF_ID, TF.TRUSTED, btf_id=found[0].id)


def _rdonly_cast(env: Env, idx: int, meta: _Meta) -> Reg:
    """The RDONLY_CAST family: an untrusted pointer to the kernel struct its constant
    names (other targets unsupported)."""
    btf = env.profile.btf
    type_id = meta.constant
    if type_id is None or not 0 < type_id < len(btf):
        raise Unsupported(f"read-only cast to type id {type_id}", idx)
    if btf[type_id].kind is not Kind.STRUCT:
        raise Unsupported(f"read-only cast to {btf.type_str(type_id)}", idx)
    return pointer(Base.PTR_TO_BTF_ID, TF.UNTRUSTED, btf_id=type_id)

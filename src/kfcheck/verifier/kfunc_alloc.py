"""Program-allocated objects in kfunc calls: the OBJ_NEW / PERCPU_OBJ_NEW families' results
(``check_special_kfunc``) and ``__alloc`` arguments (``KF_ARG_PTR_TO_ALLOC_BTF_ID``) of the
OBJ_DROP / PERCPU_OBJ_DROP families. Objects live in the program's BTF and carry ``MEM_ALLOC``.
"""

from __future__ import annotations

from kfcheck.btf import Btf, Kind
from kfcheck.profile.kfuncs.schema import Family, KfuncSpec
from kfcheck.verifier.env import Env, struct_fields
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import TF, Base, Reg, pointer

PERCPU_MAX_SIZE = 512  # BPF_GLOBAL_PERCPU_MA_MAX_SIZE
# special fields that make a struct's btf_record (btf_parse_struct_metas); others (timers,
# workqueues...) are not modelled for allocated objects
META_FIELDS = frozenset({"bpf_spin_lock", "bpf_list_head", "bpf_list_node", "bpf_rb_root",
                         "bpf_rb_node", "bpf_refcount", "kptr", "kptr_untrusted",
                         "percpu_kptr"})
_SCALARS = (Kind.INT, Kind.ENUM, Kind.ENUM64, Kind.FLOAT)


def new_object(env: Env, idx: int, spec: KfuncSpec, type_id: int | None) -> Reg:
    """R0 of an OBJ_NEW / PERCPU_OBJ_NEW call: an allocated object of the program BTF type
    named by the constant argument (maybe-null and acquired by the caller's flags)."""
    percpu = env.profile.table.in_family(spec.btf_id, Family.PERCPU_OBJ_NEW)
    if type_id is None:
        raise Unsupported("object allocation without a constant type id", idx)
    if type_id >= 1 << 32:
        raise Reject(Msg.OBJ_NEW_RANGE, insn=idx)
    btf = env.prog_btf
    if btf is None:
        raise Reject(Msg.OBJ_NEW_NO_BTF, insn=idx)
    if not 0 < type_id < len(btf) or btf[type_id].kind not in (Kind.STRUCT, Kind.UNION):
        raise Reject(Msg.OBJ_NEW_NOT_STRUCT, insn=idx)
    t = btf[type_id]
    special = record_fields(btf, type_id, idx)
    if percpu:
        if t.size > PERCPU_MAX_SIZE:
            raise Reject(Msg.PERCPU_OBJ_TOO_BIG, t.size, PERCPU_MAX_SIZE, insn=idx)
        if not _scalar_struct(btf, type_id, 0):
            raise Reject(Msg.PERCPU_OBJ_NOT_SCALARS, insn=idx)
        if special:
            raise Reject(Msg.PERCPU_OBJ_SPECIAL, insn=idx)
        return pointer(Base.PTR_TO_BTF_ID, TF.ALLOC | TF.PERCPU, btf_id=type_id)
    return pointer(Base.PTR_TO_BTF_ID, TF.ALLOC, btf_id=type_id)


def _scalar_struct(btf: Btf, type_id: int, depth: int) -> bool:
    """``__btf_type_is_scalar_struct`` on the program BTF."""
    if depth > 4:
        raise Unsupported("deeply nested struct in a per-CPU object")
    for m in btf[btf.resolve(type_id)].members:
        mt = btf[btf.resolve(m.type)]
        if mt.kind is Kind.ARRAY:
            mt = btf[btf.resolve(mt.elem_type)]
            if mt.kind not in _SCALARS:
                return False
        elif mt.kind is Kind.STRUCT:
            if not _scalar_struct(btf, mt.id, depth + 1):
                return False
        elif mt.kind not in _SCALARS:
            return False
    return True


def alloc_arg(env: Env, idx: int, spec: KfuncSpec, i: int, reg: Reg) -> None:
    """``KF_ARG_PTR_TO_ALLOC_BTF_ID`` after the trust and offset checks: an owned allocated
    object, per-CPU ones only for PERCPU_OBJ_DROP and others only for OBJ_DROP."""
    table = env.profile.table
    alloc = reg.base is Base.PTR_TO_BTF_ID and reg.flags == TF.ALLOC
    percpu = reg.base is Base.PTR_TO_BTF_ID and reg.flags == TF.ALLOC | TF.PERCPU
    if alloc:
        if not table.in_family(spec.btf_id, Family.OBJ_DROP):
            raise Reject(Msg.ALLOC_EXPECTED_DROP, i, insn=idx)
    elif percpu:
        if not table.in_family(spec.btf_id, Family.PERCPU_OBJ_DROP):
            raise Reject(Msg.ALLOC_EXPECTED_PERCPU_DROP, i, insn=idx)
    else:
        raise Reject(Msg.ALLOC_EXPECTED, i, insn=idx)
    if not reg.ref_obj_id:
        raise Reject(Msg.ALLOC_NOT_REFERENCED, insn=idx)


def record_fields(btf: Btf, type_id: int, idx: int) -> frozenset[str]:
    """The names of the special fields of a program struct's ``btf_record`` (empty: the
    struct has none)."""
    names = frozenset(name for _, _, name in struct_fields(btf, type_id))
    if names - META_FIELDS:
        raise Unsupported(f"allocated objects with {', '.join(sorted(names - META_FIELDS))}",
                          idx)
    return names


def refcounted_arg(env: Env, idx: int, i: int, reg: Reg) -> int:
    """``KF_ARG_PTR_TO_REFCOUNTED_KPTR``: an owning reference (non-owning ones are not
    modelled) to an object with a ``bpf_refcount``; returns its type."""
    if reg.base is not Base.PTR_TO_BTF_ID or not reg.flags & TF.ALLOC:
        raise Reject(Msg.REFCOUNTED_NOT_REF, i, insn=idx)
    btf = env.prog_btf
    if btf is None:
        raise Unsupported("allocated object without program BTF", idx)
    fields = record_fields(btf, reg.btf_id, idx)
    if not fields:
        raise Reject(Msg.BUG_NO_RECORD, insn=idx)
    if "bpf_refcount" not in fields:
        raise Reject(Msg.REFCOUNTED_NO_FIELD, i, insn=idx)
    return reg.btf_id


def refcounted_object(type_id: int) -> Reg:
    """R0 of a REFCOUNT_ACQUIRE call on an owning reference: another owning reference to the
    object (never NULL; acquired by the caller)."""
    return pointer(Base.PTR_TO_BTF_ID, TF.ALLOC, btf_id=type_id)

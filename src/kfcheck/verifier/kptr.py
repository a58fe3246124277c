"""kptrs in map values: the fields ``btf_parse_fields`` finds (``__kptr``, ``__kptr_untrusted``,
``__percpu_kptr`` type tags), direct loads and stores of them (``check_map_access``,
``check_map_kptr_access``) and ``bpf_kptr_xchg``'s destination (``process_kptr_func``). Only
kptrs to kernel structs are modelled; kptrs to program-allocated objects are unsupported.
"""

from __future__ import annotations

from dataclasses import dataclass

from kfcheck.btf import Kind
from kfcheck.link.program import MapSpec
from kfcheck.verifier.btfptr import in_rcu_cs
from kfcheck.verifier.env import KPTR_TAGS, Env, kptr_pointee
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import TF, Base, Reg, State, pointer

REF, UNREF, PERCPU = "kptr", "kptr_untrusted", "percpu_kptr"
# rcu_protected_types: kernel structs whose referenced kptrs load as RCU pointers in an RCU
# read-side section; they are also the structs with a destructor kfunc (a map with a referenced
# kptr to another kernel struct cannot be created)
_RCU_PROTECTED = frozenset({"prog_test_ref_kfunc", "cgroup", "bpf_cpumask", "task_struct",
                            "bpf_crypto_ctx"})


@dataclass(frozen=True, slots=True)
class Field:
    """A kptr field of a map value: its offset, kind (the tag) and the kernel struct."""

    off: int
    kind: str
    btf_id: int
    name: str


def field_at(env: Env, m: MapSpec, off: int, idx: int) -> Field | None:
    """The kptr field starting at ``off`` of the map's value (``btf_record_find``)."""
    for field_off, _, kind in env.map_fields(m):
        if field_off == off and kind in KPTR_TAGS:
            return _resolve(env, m, off, kind, idx)
    return None


def _resolve(env: Env, m: MapSpec, off: int, kind: str, idx: int) -> Field:
    if kind not in (REF, UNREF):
        raise Unsupported(f"{kind} fields of map values", idx)
    assert env.prog_btf is not None
    name = kptr_pointee(env.prog_btf, m.btf_value_type_id, off)
    if name is None:
        raise Unsupported("a kptr field that is not a pointer to a struct", idx)
    found = env.profile.btf.by_name(name, Kind.STRUCT)
    if not found:
        raise Unsupported("kptrs to program-allocated objects", idx)
    if kind == REF and name not in _RCU_PROTECTED:  # btf_parse_kptr: no destructor kfunc
        raise Unsupported(f"a referenced kptr to struct {name} (no known destructor)", idx)
    return Field(off, kind, found[0].id, name)


def check_fields(env: Env, idx: int, reg: Reg, off: int, size: int, direct: bool) -> None:
    """``check_map_access``'s field loop: an access touching a special field is rejected,
    except a direct, constant, aligned 8-byte access of exactly a kptr."""
    m = reg.map
    assert m is not None
    lo, hi = reg.s.smin + off, reg.s.umax + off + size
    for field_off, field_size, name in env.map_fields(m):
        if not (lo < field_off + field_size and field_off < hi):
            continue
        if name not in KPTR_TAGS:
            if name.startswith("bpf_"):
                raise Reject(Msg.FIELD_DIRECT, name, insn=idx)
            raise Unsupported(f"map value field: {name}", idx)
        if name == "uptr":
            raise Unsupported("uptr fields of map values", idx)
        if not direct:
            raise Reject(Msg.KPTR_INDIRECT, insn=idx)
        if not reg.s.is_const():
            raise Reject(Msg.KPTR_VAR_OFF, insn=idx)
        if field_off != off + reg.s.value:
            raise Reject(Msg.KPTR_MISALIGNED, field_off, off + reg.s.value, insn=idx)
        if size != 8:
            raise Reject(Msg.KPTR_SIZE, insn=idx)


def access(env: Env, st: State, idx: int, reg: Reg, off: int, write: bool,
           value: Reg | None, value_regno: int, atomic: bool) -> Reg | None:
    """``check_map_kptr_access`` when the access is exactly a kptr field: the loaded pointer,
    or None (a store, or no kptr there: ``NOT_KPTR``)."""
    m = reg.map
    assert m is not None
    if not reg.s.is_const():
        return NOT_KPTR
    field = field_at(env, m, off + reg.s.value, idx)
    if field is None:
        return NOT_KPTR
    if atomic:
        raise Reject(Msg.KPTR_MODE, insn=idx)
    if write and field.kind in (REF, PERCPU):
        raise Reject(Msg.KPTR_STORE_REF, insn=idx)
    if not write:
        flags = TF.MAYBE_NULL | TF.UNTRUSTED
        if field.kind == REF and field.name in _RCU_PROTECTED and in_rcu_cs(env, st):
            flags = TF.MAYBE_NULL | TF.RCU
        return pointer(Base.PTR_TO_BTF_ID, flags, btf_id=field.btf_id, id=env.new_id())
    assert value is not None
    if value_regno < 0:  # BPF_ST
        if value.s.value:
            raise Reject(Msg.KPTR_ST_IMM, field.off, insn=idx)
        return None
    if value.is_null:
        return None
    match_type(env, field, value, value_regno, idx)
    return None


NOT_KPTR = Reg(Base.NOT_INIT)  # access(): the access is no kptr access


def match_type(env: Env, field: Field, reg: Reg, regno: int, idx: int) -> None:
    """``map_kptr_match_type``: a kernel pointer of the field's struct (trusted, RCU or
    plain; untrusted only for an unreferenced kptr)."""
    perm = TF.MAYBE_NULL | TF.TRUSTED | TF.RCU | (TF.UNTRUSTED if field.kind == UNREF else 0)
    if reg.base is not Base.PTR_TO_BTF_ID or reg.flags & ~perm:
        if reg.base is Base.PTR_TO_BTF_ID and reg.flags & TF.ALLOC:
            raise Unsupported("a program-allocated object stored as a kptr", idx)
        _bad_type(env, field, reg, regno, idx)
    if reg.off < 0 or not reg.s.is_const() or reg.s.value:
        raise Unsupported("a kptr stored from a pointer with an offset", idx)
    if reg.btf_id == field.btf_id and reg.off == 0:
        return
    if field.kind == UNREF:  # btf_struct_ids_match walks first members: not modelled
        raise Unsupported("a kptr stored from a pointer to another struct", idx)
    _bad_type(env, field, reg, regno, idx)  # strict: the exact type at offset 0


def _bad_type(env: Env, field: Field, reg: Reg, regno: int, idx: int) -> None:
    name = env.profile.btf[reg.btf_id].name if reg.base is Base.PTR_TO_BTF_ID else ""
    alt = f" or untrusted_ptr_{field.name}" if field.kind == UNREF else ""
    raise Reject(Msg.KPTR_BAD_TYPE, regno, reg.type_name, name, field.name, alt, insn=idx)


def xchg_dest(env: Env, idx: int, regno: int, reg: Reg) -> Field:
    """``process_kptr_func``: a map value pointer at a referenced kptr field."""
    if reg.base is not Base.PTR_TO_MAP_VALUE or reg.flags:
        raise Reject(Msg.ARG_TYPE, regno, reg.type_name, "map_value, ptr_", insn=idx)
    m = reg.map
    assert m is not None
    if not m.btf_value_type_id:
        raise Reject(Msg.KPTR_NO_BTF, m.name, insn=idx)
    if not reg.s.is_const():
        raise Reject(Msg.KPTR_CONST_OFF, regno, insn=idx)
    if not any(name in KPTR_TAGS and name != "uptr" for _, _, name in env.map_fields(m)):
        raise Reject(Msg.KPTR_NONE, regno, insn=idx)
    off = reg.off + reg.s.value
    field = field_at(env, m, off, idx)
    if field is None:
        raise Reject(Msg.KPTR_NOT_AT, off, insn=idx)
    if field.kind not in (REF, PERCPU):
        raise Reject(Msg.KPTR_NOT_REF, off, insn=idx)
    return field

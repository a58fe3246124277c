"""bpf_list_head / bpf_rb_root arguments and their nodes in kfunc calls (the LIST_* and
RBTREE_* families): the root's ``__contains`` node type, the protecting ``bpf_spin_lock``,
owning references turned non-owning by LIST_PUSH / RBTREE_ADD, graph-node results, and
non-owning references ending at ``bpf_spin_unlock``. Roots inside allocated objects are not
modelled (their locks are not)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kfcheck.btf import Btf, Kind
from kfcheck.errors import BtfError
from kfcheck.profile.kfuncs.schema import Family, KfuncSpec
from kfcheck.verifier.env import Env, struct_fields
from kfcheck.verifier.kfunc_alloc import record_fields
from kfcheck.verifier.messages import Msg, Reject, Unsupported
from kfcheck.verifier.state import SCALAR_UNKNOWN, TF, Base, Reg, State, map_regs, pointer

ROOTS = {"bpf_list_head": "bpf_list_node", "bpf_rb_root": "bpf_rb_node"}
NODES = frozenset(ROOTS.values())


@dataclass(frozen=True, slots=True)
class GraphRoot:
    """A root field (``btf_field_graph_root``): its kind, the node struct of the program BTF
    and the node field's offset in it."""

    kind: str  # "bpf_list_head" or "bpf_rb_root"
    node_type: int
    node_name: str  # the node struct's name
    node_off: int


def root_arg(env: Env, st: State, idx: int, spec: KfuncSpec, i: int, reg: Reg,
             kind: str) -> GraphRoot:
    """``KF_ARG_PTR_TO_LIST_HEAD`` / ``KF_ARG_PTR_TO_RB_ROOT``: a map value holding the
    root at a constant offset, its lock held."""
    regno = i + 1
    if reg.base is Base.PTR_TO_BTF_ID and reg.flags & TF.ALLOC:
        raise Unsupported(f"{kind} in an allocated object", idx)
    if reg.base is not Base.PTR_TO_MAP_VALUE or reg.flags:
        raise Reject(Msg.GRAPH_ROOT_ARG, i, insn=idx)
    api = Family.LIST_API if kind == "bpf_list_head" else Family.RBTREE_API
    if not env.profile.table.in_family(spec.btf_id, api):
        raise Unsupported(f"{kind} argument of a kfunc outside its family", idx)
    if not reg.s.is_const():
        raise Reject(Msg.GRAPH_VAR_OFF, regno, kind, insn=idx)
    assert reg.map is not None
    off = reg.off + reg.s.value
    if not any(o == off and name == kind for o, _, name in env.map_fields(reg.map)):
        if env.prog_btf is None or _struct_arrays(env.prog_btf, reg.map.btf_value_type_id, 0):
            raise Unsupported(f"{kind} in arrays of structs", idx)
        raise Reject(Msg.GRAPH_NOT_FOUND, kind, off & 0xFFFFFFFF, insn=idx)
    lock_off = env.spin_lock_offset(reg.map)
    if lock_off is None:
        raise Unsupported(f"{kind} without a bpf_spin_lock (the map cannot be created)", idx)
    if st.lock is None:
        raise Reject(Msg.GRAPH_LOCK, lock_off, kind, insn=idx)
    if st.lock != (reg.map.name, reg.id):
        raise Reject(Msg.GRAPH_LOCK, lock_off, kind, insn=idx,
                     before=Msg.GRAPH_LOCK_OTHER.value)
    return _root_field(env, idx, reg.map.btf_value_type_id, off, kind)


def _root_field(env: Env, idx: int, value_type: int, off: int, kind: str) -> GraphRoot:
    """The root at ``off`` in a map value: its ``__contains`` tag names the node."""
    btf = env.prog_btf
    if btf is None:
        raise Unsupported("graph roots without program BTF", idx)
    tagged = _tag_owner(btf, value_type, off, kind, 0)
    if tagged is None:
        raise Unsupported(f"{kind} at offset {off} (arrays or nesting not modelled)", idx)
    try:
        contains = btf.graph_contains(*tagged)
    except BtfError as exc:
        raise Unsupported(f"{kind} with a bad __contains tag", idx) from exc
    if contains is None:
        raise Unsupported(f"{kind} without __contains (the map cannot be created)", idx)
    type_name, field_name = contains
    found = btf.by_name(type_name, Kind.STRUCT)
    if not found:
        raise Unsupported(f"{kind} containing unknown struct {type_name}", idx)
    node_t = found[0]
    for m in node_t.members:
        mt = btf[btf.resolve(m.type)]
        if m.name == field_name and mt.kind is Kind.STRUCT and mt.name == ROOTS[kind]:
            return GraphRoot(kind, node_t.id, node_t.name, m.bit_offset // 8)
    raise Unsupported(f"{kind} containing {type_name}:{field_name} (not a node field)", idx)


def _tag_owner(btf: Btf, type_id: int, off: int, kind: str,
               depth: int) -> tuple[int, int] | None:
    """Where the decl tag of the root at ``off`` lives: (VAR, -1) for a global, (struct,
    member index) for a member; None when not found directly."""
    t = btf[btf.resolve(type_id)]
    if t.kind is Kind.DATASEC:
        for info in t.secinfos:
            var = btf[info.type]
            vt = btf[btf.resolve(var.type)]
            if info.offset == off and vt.kind is Kind.STRUCT and vt.name == kind:
                return info.type, -1
            if info.offset <= off < info.offset + info.size and vt.kind is Kind.STRUCT:
                return _tag_owner(btf, var.type, off - info.offset, kind, depth + 1)
        return None
    if t.kind is not Kind.STRUCT or depth > 8:
        return None
    for n, m in enumerate(t.members):
        mt = btf[btf.resolve(m.type)]
        moff = m.bit_offset // 8
        if moff == off and mt.kind is Kind.STRUCT and mt.name == kind:
            return t.id, n
        if mt.kind is Kind.STRUCT and moff <= off < moff + mt.size:
            return _tag_owner(btf, mt.id, off - moff, kind, depth + 1)
    return None


def _struct_arrays(btf: Btf, type_id: int, depth: int) -> bool:
    """Whether a value holds arrays of structs (their special fields are not modelled)."""
    if not type_id:
        return False
    t = btf[btf.resolve(type_id)]
    if t.kind is Kind.ARRAY:
        return btf[btf.resolve(t.elem_type)].kind in (Kind.STRUCT, Kind.UNION)
    if depth > 8:
        return True
    if t.kind is Kind.DATASEC:
        return any(_struct_arrays(btf, info.type, depth + 1) for info in t.secinfos)
    if t.kind is Kind.VAR:
        return _struct_arrays(btf, t.type, depth + 1)
    if t.kind in (Kind.STRUCT, Kind.UNION):
        return any(_struct_arrays(btf, m.type, depth + 1) for m in t.members)
    return False


def node_arg(env: Env, idx: int, spec: KfuncSpec, i: int, reg: Reg, kind: str,
             root: GraphRoot | None, in_rbtree_cb: bool = False) -> int:
    """``KF_ARG_PTR_TO_LIST_NODE`` / ``KF_ARG_PTR_TO_RB_NODE``: an owning reference for the
    kfuncs that insert it (returned: its ref_obj_id, to be made non-owning), else a
    non-owning or refcounted one (returned: 0)."""
    table = env.profile.table
    regno = i + 1
    inserts = bool(spec.family_mask & (Family.LIST_PUSH | Family.RBTREE_ADD))
    if inserts or kind == "bpf_list_node":
        if reg.base is not Base.PTR_TO_BTF_ID or reg.flags != TF.ALLOC:
            raise Reject(Msg.ALLOC_EXPECTED, i, insn=idx)
        if not reg.ref_obj_id:
            raise Reject(Msg.ALLOC_NOT_REFERENCED, insn=idx)
    elif not reg.flags & TF.NON_OWN and not reg.ref_obj_id:
        raise Reject(Msg.GRAPH_NODE_REF, spec.name, insn=idx)
    elif in_rbtree_cb:
        raise Reject(Msg.RBTREE_CB_NOT_ALLOWED, spec.name, insn=idx)
    if reg.base is not Base.PTR_TO_BTF_ID or not reg.flags & TF.ALLOC:
        raise Unsupported(f"{reg.type_name} passed as a {kind}", idx)
    api = Family.LIST_NODE_API if kind == "bpf_list_node" else Family.RBTREE_NODE_API
    if not table.in_family(spec.btf_id, api):
        raise Unsupported(f"{kind} argument of a kfunc outside its family", idx)
    if not reg.s.is_const():
        raise Reject(Msg.GRAPH_VAR_OFF, regno, kind, insn=idx)
    btf = env.prog_btf
    if btf is None:
        raise Unsupported("allocated object without program BTF", idx)
    node_off = reg.off + reg.s.value
    record_fields(btf, reg.btf_id, idx)
    if not any(o == node_off and name == kind for o, _, name in struct_fields(btf, reg.btf_id)):
        if _struct_arrays(btf, reg.btf_id, 0):
            raise Unsupported(f"{kind} in arrays of structs", idx)
        raise Reject(Msg.GRAPH_NOT_FOUND, kind, node_off & 0xFFFFFFFF, insn=idx)
    if root is None:
        raise Unsupported(f"{kind} argument before its root", idx)
    if reg.btf_id != root.node_type:
        raise Reject(Msg.GRAPH_NODE_TYPE, root.kind, kind, root.node_off, root.node_name,
                     node_off, btf[reg.btf_id].name, insn=idx)
    if node_off != root.node_off:
        raise Reject(Msg.GRAPH_NODE_OFF, node_off, kind, root.node_off, root.node_name,
                     insn=idx)
    return reg.ref_obj_id if inserts else 0


def check_fixed_off(idx: int, regno: int, reg: Reg) -> None:
    """``check_func_arg_reg_off`` of a graph argument: a fixed offset is allowed on map
    values and on (owning or non-owning) allocated objects, not on maybe-NULL pointers."""
    if reg.base is Base.SCALAR or reg.base is Base.PTR_TO_MAP_VALUE and not reg.flags:
        return
    if reg.off < 0:
        raise Reject(Msg.CTX_NEGATIVE, reg.type_name, regno, reg.off, insn=idx)
    allowed = reg.base is Base.PTR_TO_BTF_ID and not reg.flags & ~(
        TF.ALLOC | TF.NON_OWN | TF.RCU | TF.TRUSTED)
    if not allowed and reg.off:
        raise Reject(Msg.CTX_MODIFIED, reg.type_name, regno, reg.off, insn=idx)
    if not reg.s.is_const() or reg.s.value:
        raise Unsupported("variable-offset graph argument", idx)


def make_non_owning(env: Env, st: State, ref_obj_id: int) -> State:
    """``ref_convert_owning_non_owning`` then ``release_reference``: the inserted object's
    registers become non-owning references and its reference is gone."""
    btf = env.prog_btf

    def convert(r: Reg) -> Reg:
        if r.ref_obj_id != ref_obj_id:
            return r
        return replace(r, flags=r.flags | _non_owning_flags(btf, r.btf_id), ref_obj_id=0)

    st = map_regs(st, convert)
    return replace(st, refs=tuple(r for r in st.refs if r.id != ref_obj_id))


def _non_owning_flags(btf: Btf | None, type_id: int) -> TF:
    """``ref_set_non_owning``: NON_OWN_REF, and MEM_RCU for refcounted objects."""
    refcounted = btf is not None and any(
        name == "bpf_refcount" for _, _, name in struct_fields(btf, type_id))
    return TF.NON_OWN | (TF.RCU if refcounted else TF.NONE)


def node_result(env: Env, root: GraphRoot, acquired: bool) -> Reg:
    """``mark_reg_graph_node``: R0 points to the node field of a node object; without
    KF_ACQUIRE it is a non-owning reference."""
    r0 = pointer(Base.PTR_TO_BTF_ID, TF.ALLOC, btf_id=root.node_type, off=root.node_off)
    if not acquired:
        r0 = replace(r0, flags=r0.flags | _non_owning_flags(env.prog_btf, root.node_type))
    return r0


def end_non_owning(st: State) -> State:
    """``invalidate_non_owning_refs`` at ``bpf_spin_unlock``: every non-owning reference
    becomes an unknown scalar."""
    return map_regs(st, lambda r: SCALAR_UNKNOWN if r.flags & TF.NON_OWN else r)

"""The kfunc view of a kernel BTF (the embedded profile's, or any raw BTF file): what the
table needs from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kfcheck.btf.types import Kind, Param

if TYPE_CHECKING:
    from kfcheck.btf import Btf

KFUNC_DECL_TAG = "bpf_kfunc"
SPECIAL_ENUM = "special_kfunc_type"


@dataclass(frozen=True, slots=True)
class BtfFunc:
    """A BTF FUNC with its prototype, and what ``btf_check_iter_kfuncs`` looks at: the struct
    the first parameter points to (name and size; "" when it is no pointer to a struct) and
    whether the return type is a pointer."""

    name: str
    btf_id: int
    ret_type_id: int
    params: tuple[Param, ...]
    tagged: bool
    arg0_struct: str = ""
    arg0_size: int = 0
    returns_ptr: bool = False


@dataclass(frozen=True, slots=True)
class KfuncBtf:
    """FUNCs by name (first id wins, as resolve_btfids warns and uses one), kfunc decl tags,
    and the names of ``enum special_kfunc_type`` (without ``KF_``) in enum order."""

    source: str
    funcs: dict[str, BtfFunc]
    special_kfunc_type: tuple[str, ...]

    def tagged_names(self) -> frozenset[str]:
        """Names of the FUNCs carrying a ``bpf_kfunc`` decl tag."""
        return frozenset(f.name for f in self.funcs.values() if f.tagged)


def special_kfunc_names(btf: Btf) -> tuple[str, ...]:
    """The members of ``enum special_kfunc_type`` without ``KF_``, in enum order (empty when the
    BTF has no such enum)."""
    special: tuple[str, ...] = ()
    for enum in btf.by_name(SPECIAL_ENUM, Kind.ENUM):
        special = tuple(v.name.removeprefix("KF_") for v in enum.values)
    return special


def from_btf(btf: Btf) -> KfuncBtf:
    """The kfunc view of a parsed BTF: its ``bpf_kfunc``-tagged FUNCs and the FUNCs named by
    ``enum special_kfunc_type`` (looked up through the parser's indexes, not a full scan)."""
    special = special_kfunc_names(btf)
    tagged = {f.name: f for f in btf.kfuncs()}
    funcs: dict[str, BtfFunc] = {}
    for name in [*tagged, *special]:
        if name in funcs:
            continue
        cands = [tagged[name]] if name in tagged else btf.by_name(name, Kind.FUNC)[:1]
        for func in cands:
            proto = btf[func.type]
            if proto.kind is Kind.FUNC_PROTO:
                struct, size = _arg0_struct(btf, proto.params)
                ret_ptr = bool(proto.type) and btf[btf.resolve(proto.type)].kind is Kind.PTR
                funcs[name] = BtfFunc(name, func.id, proto.type, proto.params, name in tagged,
                                      struct, size, ret_ptr)
    return KfuncBtf(btf.name, funcs, special)


def _arg0_struct(btf: Btf, params: tuple[Param, ...]) -> tuple[str, int]:
    """(name, size) of the struct the first parameter points to, ("", 0) if none."""
    if not params or not params[0].type:
        return "", 0
    ptr = btf[btf.resolve(params[0].type)]
    if ptr.kind is not Kind.PTR or not ptr.type:
        return "", 0
    target = btf[btf.resolve(ptr.type)]
    if target.kind is not Kind.STRUCT:
        return "", 0
    return target.name, target.size

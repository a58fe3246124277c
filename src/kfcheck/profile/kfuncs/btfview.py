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
    """A BTF FUNC with its prototype."""

    name: str
    btf_id: int
    ret_type_id: int
    params: tuple[Param, ...]
    tagged: bool


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
                funcs[name] = BtfFunc(name, func.id, proto.type, proto.params, name in tagged)
    return KfuncBtf(btf.name, funcs, special)

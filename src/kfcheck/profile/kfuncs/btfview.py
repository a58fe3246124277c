"""The kfunc view of a kernel BTF: what the table needs from it, whatever parsed it.

Built from BTF type records (``kfcheck.btf``'s parser, or the embedded profile's BTF) or from a
recording (JSON written by ``tests/profile/record_btf.py``) for machines without the kernel's BTF.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfcheck.btf.types import BtfType, Kind, Param
from kfcheck.errors import TableError

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

    @classmethod
    def from_types(cls, types: Iterable[BtfType], source: str = "<btf>") -> KfuncBtf:
        """Index BTF type records (in id order)."""
        by_id: dict[int, BtfType] = {}
        first_func: dict[str, int] = {}
        tagged: set[int] = set()
        special: tuple[str, ...] = ()
        for t in types:
            by_id[t.id] = t
            if t.kind is Kind.FUNC:
                first_func.setdefault(t.name, t.id)
            elif t.kind is Kind.DECL_TAG and t.name == KFUNC_DECL_TAG and t.component_idx == -1:
                tagged.add(t.type)
            elif t.kind is Kind.ENUM and t.name == SPECIAL_ENUM:
                special = tuple(v.name.removeprefix("KF_") for v in t.values)
        funcs: dict[str, BtfFunc] = {}
        for name, fid in first_func.items():
            proto = by_id.get(by_id[fid].type)
            if proto is None or proto.kind is not Kind.FUNC_PROTO:
                continue
            funcs[name] = BtfFunc(name, fid, proto.type, proto.params, fid in tagged)
        return cls(source, funcs, special)

    @classmethod
    def from_recording(cls, path: str | Path) -> KfuncBtf:
        """Load a recording written by ``tests/profile/record_btf.py``."""
        where = str(path)
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            funcs = {
                f["name"]: BtfFunc(
                    f["name"], int(f["id"]), int(f["ret"]),
                    tuple(Param(str(n), int(t)) for n, t in f["params"]), bool(f["tagged"]),
                )
                for f in data["funcs"]
            }
            special = tuple(str(s) for s in data["special_kfunc_type"])
        except OSError as err:
            raise TableError(where, f"cannot read BTF recording: {err.strerror}") from None
        except (ValueError, KeyError, TypeError) as err:
            raise TableError(where, f"malformed BTF recording: {err}") from None
        return cls(where, funcs, special)


def from_btf(btf: Btf) -> KfuncBtf:
    """The kfunc view of a parsed BTF: its ``bpf_kfunc``-tagged FUNCs and the FUNCs named by
    ``enum special_kfunc_type`` (looked up through the parser's indexes, not a full scan)."""
    special: tuple[str, ...] = ()
    for enum in btf.by_name(SPECIAL_ENUM, Kind.ENUM):
        special = tuple(v.name.removeprefix("KF_") for v in enum.values)
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


def load_kfunc_btf(path: str | Path) -> KfuncBtf:
    """The kfunc view of a raw BTF file (such as ``/sys/kernel/btf/vmlinux``) or of a ``.json``
    recording."""
    if str(path).endswith(".json"):
        return KfuncBtf.from_recording(path)
    from kfcheck.btf import Btf

    return from_btf(Btf.load(str(path)))

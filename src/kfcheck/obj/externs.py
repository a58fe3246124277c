"""Extern symbols: ``.kconfig`` variables and ``.ksyms`` functions (kfuncs) and variables.

An extern is an undefined GLOBAL/WEAK NOTYPE symbol; its BTF VAR or FUNC (extern linkage)
sits in the ``.kconfig`` or ``.ksyms`` DATASEC, which decides the kind, as in libbpf's
``bpf_object__collect_externs``. ``.kconfig`` externs are laid out in one map the way libbpf
does: sorted by alignment (descending), size (ascending), then name, each at the next offset
aligned to its alignment.
"""

from __future__ import annotations

from dataclasses import replace

from kfcheck.btf.parse import Btf
from kfcheck.btf.types import LINKAGE_EXTERN, Kind
from kfcheck.errors import ElfError, UnsupportedElf
from kfcheck.obj.model import Extern, ExternKind, SymBind, Symbol

KSYMS_SEC = ".ksyms"
KCONFIG_SEC = ".kconfig"
PTR_SIZE = 8
_MAX_DEPTH = 32


def align_of(btf: Btf, type_id: int) -> int:
    """Natural alignment of a type, like libbpf's ``btf__align_of`` (packing not modelled)."""
    for _ in range(_MAX_DEPTH):
        t = btf[type_id]
        if t.kind in (Kind.INT, Kind.ENUM, Kind.ENUM64, Kind.FLOAT):
            return min(t.size, PTR_SIZE)
        if t.kind is Kind.PTR:
            return PTR_SIZE
        if t.kind in (Kind.TYPEDEF, Kind.VOLATILE, Kind.CONST, Kind.RESTRICT, Kind.TYPE_TAG):
            type_id = t.type
            continue
        if t.kind is Kind.ARRAY:
            type_id = t.elem_type
            continue
        if t.kind in (Kind.STRUCT, Kind.UNION):
            return max((align_of(btf, m.type) for m in t.members), default=1)
        return 0
    return 0


def _find_extern_btf(btf: Btf, name: str) -> int:
    """The id of the extern VAR or FUNC called ``name`` (libbpf ``find_extern_btf_id``)."""
    for t in btf.by_name(name):
        if t.kind in (Kind.VAR, Kind.FUNC):
            if t.linkage != LINKAGE_EXTERN:
                raise ElfError(f"extern '{name}': BTF {t.kind.name} has non-extern "
                               f"linkage {t.linkage}")
            return t.id
    raise ElfError(f"failed to find BTF for extern '{name}'")


def _datasec_names(btf: Btf) -> dict[int, str]:
    """Member VAR/FUNC id → name of its DATASEC, for the extern sections."""
    owner: dict[int, str] = {}
    for sec_name in (KCONFIG_SEC, KSYMS_SEC):
        for sec in btf.by_name(sec_name, Kind.DATASEC):
            for vsi in sec.secinfos:
                owner[vsi.type] = sec_name
    return owner


def collect_externs(btf: Btf | None, symbols: tuple[Symbol, ...]) -> tuple[tuple[Extern, ...], int]:
    """The object's externs in symbol order, and the size of the .kconfig map (0: none)."""
    ext_syms = [s for s in symbols if s.is_extern and s.name]
    if not ext_syms:
        return (), 0
    if btf is None:
        raise ElfError(f"extern '{ext_syms[0].name}' needs BTF, but .BTF is missing")
    owner = _datasec_names(btf)
    externs: list[Extern] = []
    for sym in ext_syms:
        btf_id = _find_extern_btf(btf, sym.name)
        t = btf[btf_id]
        sec_name = owner.get(btf_id)
        is_weak = sym.bind == SymBind.WEAK
        if sec_name == KCONFIG_SEC:
            if t.kind is Kind.FUNC:
                raise UnsupportedElf(f"extern function {sym.name} under "
                                     f"{KCONFIG_SEC} section")
            size = btf.size_of(t.type)
            align = align_of(btf, t.type)
            if size <= 0 or align <= 0:
                raise ElfError(f"extern (kcfg) '{sym.name}': type has no size or "
                               f"alignment")
            externs.append(Extern(sym.name, ExternKind.KCONFIG, sym.index, is_weak, btf_id,
                                  btf.resolve(t.type), size=size, align=align))
        elif sec_name == KSYMS_SEC:
            if t.kind is Kind.FUNC:
                externs.append(Extern(sym.name, ExternKind.KFUNC, sym.index, is_weak, btf_id,
                                      t.type))
            else:
                type_id = btf.resolve(t.type)
                kind = ExternKind.KSYM_TYPED if type_id else ExternKind.KSYM_TYPELESS
                externs.append(Extern(sym.name, kind, sym.index, is_weak, btf_id, type_id))
        else:
            raise ElfError(f"failed to find BTF for extern '{sym.name}' [{btf_id}] "
                           f"section")
    return _place_kconfig(externs)


def _place_kconfig(externs: list[Extern]) -> tuple[tuple[Extern, ...], int]:
    kcfg = sorted((e for e in externs if e.kind is ExternKind.KCONFIG),
                  key=lambda e: (-e.align, e.size, e.name))
    offsets: dict[str, int] = {}
    off = 0
    for ext in kcfg:
        start = (off + ext.align - 1) // ext.align * ext.align
        offsets[ext.name] = start
        off = start + ext.size
    placed = tuple(replace(e, kconfig_offset=offsets[e.name]) if e.name in offsets else e
                   for e in externs)
    return placed, off

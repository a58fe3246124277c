"""Map definitions: BTF-defined ``.maps``, global data sections, the ``.kconfig`` map.

BTF-defined maps follow libbpf's ``__uint``/``__type``/``__array``/``__ulong`` convention:
each variable in the ``.maps`` DATASEC is a struct whose members encode attributes in their
types: ``__uint(name, v)`` is ``int (*name)[v]`` (PTR to ARRAY with ``nelems = v``),
``__type(name, T)`` is ``T *name``, ``__array(values, T)`` is ``T *values[]`` and
``__ulong(name, v)`` is a one-value enum. Messages follow libbpf's wording.

Global data maps get libbpf's internal names (``internal_map_name``): for ``.data``, ``.bss``,
``.rodata`` and ``.kconfig`` the object name (file name up to its first dot, at most 15
characters) is prefixed, as much of it as fits in 15 characters while keeping at least 7 for
the section name (``my_objec.rodata``, ``my_obje.kconfig``); names with a second dot
(``.data.custom``, ``.rodata.str1.1``) are used alone, truncated to 15 characters. Characters
other than alphanumerics, ``_`` and ``.`` become ``_``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace

from kfcheck.btf.parse import Btf
from kfcheck.btf.types import LINKAGE_STATIC, BtfType, Kind
from kfcheck.errors import BtfError, ElfError, UnsupportedElf
from kfcheck.obj.model import (
    BPF_F_MMAPABLE,
    BPF_F_RDONLY_PROG,
    HIDDEN_VISIBILITIES,
    SHT_NOBITS,
    SHT_PROGBITS,
    InitSlot,
    MapDef,
    MapOrigin,
    Section,
    Symbol,
    SymType,
)
from kfcheck.uapi import MapType

BPF_OBJ_NAME_LEN = 16
MAPS_SEC = ".maps"
KCONFIG_SEC = ".kconfig"
ARENA_SEC = ".addr_space.1"
PIN_NONE = 0
PIN_BY_NAME = 1
PTR_SIZE = 8

_MAP_IN_MAP = (MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS)


def object_name(path: str) -> str:
    """libbpf's object name: the file's base name, at most 15 characters, cut at its first dot."""
    name = os.path.basename(path)[: BPF_OBJ_NAME_LEN - 1]
    return name.split(".", 1)[0]


def internal_map_name(obj_name: str, real_name: str) -> str:
    """The kernel-visible name libbpf gives the map of a data section (see module doc)."""
    sfx_len = min(max(7, len(real_name)), BPF_OBJ_NAME_LEN - 1)
    if "." in real_name[1:]:
        pfx_len = 0
    else:
        pfx_len = min(BPF_OBJ_NAME_LEN - sfx_len - 1, len(obj_name))
    name = obj_name[:pfx_len] + real_name[:sfx_len]
    return "".join(c if c.isascii() and (c.isalnum() or c in "_.") else "_" for c in name)


def data_section_origin(sec: Section) -> MapOrigin | None:
    """DATA/RODATA/BSS for sections libbpf turns into global data maps, else None."""
    name = sec.name
    if sec.type == SHT_PROGBITS and not sec.is_exec:
        if name == ".data" or name.startswith(".data."):
            return MapOrigin.DATA
        if name == ".rodata" or name.startswith(".rodata."):
            return MapOrigin.RODATA
    if sec.type == SHT_NOBITS and (name == ".bss" or name.startswith(".bss.")):
        return MapOrigin.BSS
    return None


@dataclass(frozen=True, slots=True)
class _MapCtx:
    btf: Btf

    def fail(self, problem: str) -> ElfError:
        return ElfError(problem)


# ---- BTF-defined maps ----


def _field_uint(ctx: _MapCtx, map_name: str, member_name: str, type_id: int) -> int:
    """``__uint(name, v)``: PTR to ARRAY with nelems = v."""
    btf = ctx.btf
    t = btf[btf.resolve(type_id)]
    if t.kind is not Kind.PTR:
        raise ctx.fail(f"map '{map_name}': attr '{member_name}': expected PTR, got "
                       f"{_kind_str(t)}")
    arr = btf[t.type]
    if arr.kind is not Kind.ARRAY:
        raise ctx.fail(f"map '{map_name}': attr '{member_name}': expected ARRAY, got "
                       f"{_kind_str(arr)}")
    return arr.nelems


def _field_ulong(ctx: _MapCtx, map_name: str, member_name: str, type_id: int) -> int:
    """``__ulong(name, v)`` (one-value enum) or ``__uint``."""
    btf = ctx.btf
    t = btf[btf.resolve(type_id)]
    if t.kind is Kind.PTR:
        return _field_uint(ctx, map_name, member_name, type_id)
    if t.kind not in (Kind.ENUM, Kind.ENUM64):
        raise ctx.fail(f"map '{map_name}': attr '{member_name}': expected ENUM or ENUM64, got "
                       f"{_kind_str(t)}")
    if len(t.values) != 1:
        raise ctx.fail(f"map '{map_name}': attr '{member_name}': invalid __ulong")
    return t.values[0].value & 0xFFFFFFFFFFFFFFFF


def _kind_str(t: BtfType) -> str:
    return t.kind.name.lower() if t.kind is not Kind.UNKN else "void"


@dataclass
class _Def:
    """Mutable accumulator for one map definition (libbpf's ``struct btf_map_def``)."""

    map_type: int = 0
    key_size: int = 0
    value_size: int = 0
    max_entries: int = 0
    map_flags: int = 0
    numa_node: int = 0
    pinning: int = 0
    map_extra: int = 0
    key_type_id: int = 0
    value_type_id: int = 0
    values_bit_offset: int = -1
    inner: _Def | None = None


def _set_size(ctx: _MapCtx, map_name: str, what: str, old: int, new: int) -> int:
    if old and old != new:
        raise ctx.fail(f"map '{map_name}': conflicting {what} size {old} != {new}.")
    return new


def _typed_size(ctx: _MapCtx, map_name: str, what: str, type_id: int) -> tuple[int, int]:
    """``__type(key|value, T)``: a PTR to T; return (size of T, id of T)."""
    btf = ctx.btf
    t = btf[type_id]
    if t.kind is not Kind.PTR:
        raise ctx.fail(f"map '{map_name}': {what} spec is not PTR: {_kind_str(t)}.")
    try:
        size = btf.size_of(t.type)
    except BtfError as err:
        raise ctx.fail(f"map '{map_name}': can't determine {what} size for type "
                       f"[{t.type}]: {err.problem}") from None
    return size, t.type


def _parse_def(ctx: _MapCtx, map_name: str, def_t: BtfType, is_inner: bool) -> _Def:
    """libbpf's ``parse_btf_map_def`` (non-strict: unknown fields are ignored)."""
    btf = ctx.btf
    d = _Def()
    for i, m in enumerate(def_t.members):
        name = m.name
        if name == "type":
            d.map_type = _field_uint(ctx, map_name, name, m.type)
        elif name == "max_entries":
            d.max_entries = _field_uint(ctx, map_name, name, m.type)
        elif name == "map_flags":
            d.map_flags = _field_uint(ctx, map_name, name, m.type)
        elif name == "numa_node":
            d.numa_node = _field_uint(ctx, map_name, name, m.type)
        elif name == "key_size":
            d.key_size = _set_size(ctx, map_name, "key", d.key_size,
                                   _field_uint(ctx, map_name, name, m.type))
        elif name == "value_size":
            d.value_size = _set_size(ctx, map_name, "value", d.value_size,
                                     _field_uint(ctx, map_name, name, m.type))
        elif name == "key":
            size, d.key_type_id = _typed_size(ctx, map_name, "key", m.type)
            d.key_size = _set_size(ctx, map_name, "key", d.key_size, size)
        elif name == "value":
            size, d.value_type_id = _typed_size(ctx, map_name, "value", m.type)
            d.value_size = _set_size(ctx, map_name, "value", d.value_size, size)
        elif name == "values":
            is_map_in_map = d.map_type in _MAP_IN_MAP
            is_prog_array = d.map_type == MapType.PROG_ARRAY
            desc = "map-in-map inner" if is_map_in_map else "prog-array value"
            if is_inner:
                raise UnsupportedElf("multi-level inner maps", where=f"map '{map_name}': ")
            if i != len(def_t.members) - 1:
                raise ctx.fail(f"map '{map_name}': '{name}' member should be last.")
            if not is_map_in_map and not is_prog_array:
                raise ctx.fail(f"map '{map_name}': should be map-in-map or prog-array.")
            d.value_size = _set_size(ctx, map_name, "value", d.value_size, 4)
            d.values_bit_offset = m.bit_offset
            arr = btf[m.type]
            if arr.kind is not Kind.ARRAY or arr.nelems:
                raise ctx.fail(f"map '{map_name}': {desc} spec is not a zero-sized array.")
            ptr = btf[btf.resolve(arr.elem_type)]
            if ptr.kind is not Kind.PTR:
                raise ctx.fail(f"map '{map_name}': {desc} def is of unexpected kind "
                               f"{_kind_str(ptr)}.")
            target = btf[btf.resolve(ptr.type)]
            if is_prog_array:
                if target.kind is not Kind.FUNC_PROTO:
                    raise ctx.fail(f"map '{map_name}': prog-array value def is of unexpected "
                                   f"kind {_kind_str(target)}.")
                continue
            if target.kind is not Kind.STRUCT:
                raise ctx.fail(f"map '{map_name}': map-in-map inner def is of unexpected kind "
                               f"{_kind_str(target)}.")
            d.inner = _parse_def(ctx, f"{map_name}.inner", target, True)
        elif name == "pinning":
            if is_inner:
                raise ctx.fail(f"map '{map_name}': inner def can't be pinned.")
            d.pinning = _field_uint(ctx, map_name, name, m.type)
            if d.pinning not in (PIN_NONE, PIN_BY_NAME):
                raise ctx.fail(f"map '{map_name}': invalid pinning value {d.pinning}.")
        elif name == "map_extra":
            d.map_extra = _field_ulong(ctx, map_name, name, m.type)
    if d.map_type == MapType.UNSPEC:
        raise ctx.fail(f"map '{map_name}': map type isn't specified.")
    return d


def _map_type(ctx: _MapCtx, map_name: str, value: int) -> MapType:
    try:
        return MapType(value)
    except ValueError:
        raise UnsupportedElf(f"map type {value}", where=f"map '{map_name}': ") from None


def _to_mapdef(ctx: _MapCtx, name: str, d: _Def, origin: MapOrigin, sec: Section,
               offset: int, var_id: int) -> MapDef:
    inner = None
    if d.inner is not None:
        inner = _to_mapdef(ctx, f"{name}.inner", d.inner, MapOrigin.INNER, sec, offset, 0)
    return MapDef(
        name=name[: BPF_OBJ_NAME_LEN - 1], real_name=name, origin=origin, section=sec.name,
        sec_index=sec.index, sec_offset=offset, map_type=_map_type(ctx, name, d.map_type),
        key_size=d.key_size, value_size=d.value_size, max_entries=d.max_entries,
        map_flags=d.map_flags, numa_node=d.numa_node, pinning=d.pinning,
        map_extra=d.map_extra, key_type_id=d.key_type_id, value_type_id=d.value_type_id,
        btf_var_id=var_id, inner=inner,
    )


@dataclass(frozen=True, slots=True)
class BtfMap:
    """A BTF-defined map with what ``.rel.maps`` needs: its definition's size in ``.maps`` and
    the byte offset of its ``values`` member (-1 if none)."""

    map: MapDef
    def_size: int
    values_offset: int


def btf_defined_maps(btf: Btf | None, sec: Section,
                     symbols: tuple[Symbol, ...]) -> list[BtfMap]:
    """The maps of the ``.maps`` section, in DATASEC order.

    clang leaves DATASEC offsets at 0 (libbpf fixes them up from the ELF symbols), so a map's
    offset in ``.maps`` is the value of its ELF symbol.
    """
    offsets = {s.name: s.value for s in symbols
               if s.shndx == sec.index and s.type == SymType.OBJECT}
    if btf is None:
        raise ElfError("BTF is required for maps in '.maps', but .BTF is missing")
    ctx = _MapCtx(btf)
    datasecs = btf.by_name(MAPS_SEC, Kind.DATASEC)
    if not datasecs:
        raise ElfError("DATASEC '.maps' not found.")
    maps: list[BtfMap] = []
    for vsi in datasecs[0].secinfos:
        var = btf[vsi.type]
        if var.kind is not Kind.VAR:
            raise ElfError(f"'.maps' entry [{vsi.type}] is not a VAR")
        def_t = btf[btf.resolve(var.type)]
        if def_t.kind is not Kind.STRUCT:
            raise ElfError(f"map '{var.name}': unexpected def kind {_kind_str(def_t)}.")
        if def_t.size > vsi.size:
            raise ElfError(f"map '{var.name}': invalid def size.")
        offset = offsets.get(var.name)
        if offset is None:
            raise ElfError(f"map '{var.name}': failed to find ELF symbol in '.maps'")
        if offset + vsi.size > sec.size:
            raise ElfError(f"map '{var.name}': definition out of '.maps' bounds")
        d = _parse_def(ctx, var.name, def_t, False)
        m = _to_mapdef(ctx, var.name, d, MapOrigin.BTF_DEF, sec, offset, var.id)
        values_off = d.values_bit_offset // 8 if d.values_bit_offset >= 0 else -1
        maps.append(BtfMap(m, vsi.size, values_off))
    return maps


def with_init_slots(maps: list[BtfMap], maps_sec: Section,
                    rel_entries: list[tuple[int, Symbol]],
                    is_program: Callable[[Symbol], bool]) -> list[MapDef]:
    """Maps with ``init_slots`` filled from ``.rel.maps`` (libbpf's
    ``bpf_object__collect_map_relos``): ``rel_entries`` are (offset, symbol) pairs."""
    slots: dict[str, list[InitSlot]] = {}
    for num, (r_offset, sym) in enumerate(rel_entries):
        outer = next((b for b in maps if b.map.sec_offset <= r_offset
                      < b.map.sec_offset + b.def_size), None)
        if outer is None:
            raise ElfError(f"'.rel.maps' relocation #{num} points to no map "
                           f"(offset {r_offset})")
        om = outer.map
        is_prog_array = om.map_type == MapType.PROG_ARRAY
        if om.map_type not in _MAP_IN_MAP and not is_prog_array:
            raise ElfError(f"map '{om.real_name}': should be map-in-map or prog-array.")
        moff = r_offset - om.sec_offset - outer.values_offset
        if outer.values_offset < 0 or moff < 0 or moff % PTR_SIZE:
            raise ElfError(f"map '{om.real_name}': unexpected '.rel.maps' offset "
                           f"{r_offset}")
        if is_prog_array:
            if not is_program(sym):
                raise ElfError(f"map '{om.real_name}': prog-array slot points to "
                               f"'{sym.name}', which is not a program")
            target = sym.name
        else:
            inner = next((b.map for b in maps if sym.shndx == maps_sec.index
                          and b.map.sec_offset == sym.value), None)
            if inner is None:
                raise ElfError(f"map '{om.real_name}': inner map slot points to "
                               f"'{sym.name}', which is not a map in '.maps'")
            target = inner.name
        slots.setdefault(om.real_name, []).append(InitSlot(moff // PTR_SIZE, target))
    return [
        replace(b.map, init_slots=tuple(sorted(slots[b.map.real_name], key=lambda s: s.index)))
        if b.map.real_name in slots else b.map
        for b in maps
    ]


def with_arena_data(maps: list[MapDef], arena_sec: Section) -> list[MapDef]:
    """The arena map gets the ``__arena`` globals of ``.addr_space.1`` as initial data
    (libbpf copies them to the end of the arena's first mapping)."""
    arena = next((m for m in maps if m.map_type == MapType.ARENA), None)
    if arena is None:
        raise ElfError(f"sec '{ARENA_SEC}': to use global __arena variables the ARENA "
                       f"map should be explicitly declared in SEC(\".maps\")")
    return [replace(m, initial_data=arena_sec.data) if m is arena else m for m in maps]


# ---- global data maps ----


def data_map(btf: Btf | None, obj_name: str, sec: Section, origin: MapOrigin,
             symbols: tuple[Symbol, ...]) -> MapDef:
    """The single-entry ARRAY libbpf makes of a .data/.rodata/.bss section."""
    datasec = _datasec(btf, sec.name)
    flags = BPF_F_RDONLY_PROG if origin is MapOrigin.RODATA else 0
    hidden = {s.name for s in symbols
              if s.shndx == sec.index and s.visibility in HIDDEN_VISIBILITIES}
    if btf is not None and datasec and _has_exposed_var(btf, datasec, hidden):
        flags |= BPF_F_MMAPABLE
    data = bytes(sec.size) if origin is MapOrigin.BSS else sec.data
    return MapDef(
        name=internal_map_name(obj_name, sec.name), real_name=sec.name, origin=origin,
        section=sec.name, sec_index=sec.index, sec_offset=0, map_type=MapType.ARRAY,
        key_size=4, value_size=sec.size, max_entries=1, map_flags=flags,
        value_type_id=datasec, datasec_id=datasec, initial_data=data,
    )


def kconfig_map(btf: Btf | None, obj_name: str, size: int, symtab: Section) -> MapDef:
    """The .kconfig map (zero-filled; the linker writes the values)."""
    datasec = _datasec(btf, KCONFIG_SEC)
    return MapDef(
        name=internal_map_name(obj_name, KCONFIG_SEC), real_name=KCONFIG_SEC,
        origin=MapOrigin.KCONFIG, section=KCONFIG_SEC, sec_index=symtab.index, sec_offset=0,
        map_type=MapType.ARRAY, key_size=4, value_size=size, max_entries=1,
        map_flags=BPF_F_RDONLY_PROG | BPF_F_MMAPABLE, value_type_id=datasec,
        datasec_id=datasec, initial_data=bytes(size),
    )


def _datasec(btf: Btf | None, name: str) -> int:
    if btf is None:
        return 0
    found = btf.by_name(name, Kind.DATASEC)
    return found[0].id if found else 0


def _has_exposed_var(btf: Btf, datasec_id: int, hidden: set[str]) -> bool:
    """libbpf's ``map_is_mmapable``: some VAR of the DATASEC is neither static nor hidden."""
    for vsi in btf[datasec_id].secinfos:
        vt = btf[vsi.type]
        if vt.kind is Kind.VAR and vt.linkage != LINKAGE_STATIC and vt.name not in hidden:
            return True
    return False



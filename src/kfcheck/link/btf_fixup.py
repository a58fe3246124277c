"""The program BTF made loadable by the kernel, as libbpf fixes it before BTF_LOAD.

- ``.ksyms``: extern FUNCs become GLOBAL (their unnamed parameters get the name of a
  ``dummy_ksym`` VAR appended to the BTF when the section holds a FUNC), extern VARs become
  GLOBAL_ALLOCATED 32-bit ``int``s; each entry is a 4-byte slot (FUNC entries point at
  ``dummy_ksym``).
- ``.kconfig``: VARs become GLOBAL_ALLOCATED at the offsets of the ``.kconfig`` map.
- other DATASECs without a size get their size from the ELF section and each VAR its
  symbol's offset (static VARs keep the compiler's); hidden globals become STATIC. Entries
  of every DATASEC are sorted by offset.

String offsets are kept (new strings are appended), so func_info and line_info stay valid.
"""

from __future__ import annotations

from dataclasses import replace

from kfcheck.btf import Btf, BtfType, Kind, Param, VarSecinfo
from kfcheck.btf.encode import encode_btf
from kfcheck.btf.types import LINKAGE_GLOBAL, LINKAGE_STATIC
from kfcheck.errors import LinkError
from kfcheck.obj.model import BpfObject, ExternKind, Section, SymType

KSYMS_SEC = ".ksyms"
KCONFIG_SEC = ".kconfig"
VAR_GLOBAL_ALLOCATED = 1
DUMMY_KSYM = "dummy_ksym"
_STV_HIDDEN, _STV_INTERNAL = 2, 1


def _int_type_id(btf: Btf) -> int:
    """The first 32-bit INT of the BTF, signed or not (0 if none), as libbpf's
    ``find_int_btf_id``."""
    for t in btf.types():
        if t.kind is Kind.INT and t.int_bits == 32:
            return t.id
    return 0


def fixup_btf(obj: BpfObject) -> Btf | None:
    """The object's BTF, fixed up for the kernel (None when the object has none)."""
    btf = obj.btf
    if btf is None:
        return None
    types: dict[int, BtfType] = {t.id: t for t in btf.types()}
    next_id = len(btf)
    int_id = _int_type_id(btf)
    dummy_id = 0
    kconfig_offsets = {e.name: e.kconfig_offset for e in obj.externs
                       if e.kind is ExternKind.KCONFIG}
    sections = {s.name: s for s in obj.sections}
    for sec_t in [t for t in types.values() if t.kind is Kind.DATASEC]:
        if sec_t.name == KSYMS_SEC:
            has_func = any(types[v.type].kind is Kind.FUNC for v in sec_t.secinfos)
            if dummy_id == 0 and has_func:
                dummy_id = next_id
                next_id += 1
                types[dummy_id] = BtfType(dummy_id, Kind.VAR, DUMMY_KSYM, type=int_id,
                                          linkage=VAR_GLOBAL_ALLOCATED)
            infos = []
            for n, vsi in enumerate(sec_t.secinfos):
                vt = types[vsi.type]
                entry_type = vsi.type
                if vt.kind is Kind.FUNC:
                    proto = types[vt.type]
                    params = tuple(Param(p.name or (DUMMY_KSYM if p.type else ""), p.type)
                                   for p in proto.params)
                    types[proto.id] = replace(proto, params=params)
                    types[vt.id] = replace(vt, linkage=LINKAGE_GLOBAL)
                    entry_type = dummy_id
                else:
                    types[vt.id] = replace(vt, linkage=VAR_GLOBAL_ALLOCATED, type=int_id)
                infos.append(VarSecinfo(entry_type, n * 4, 4))
            types[sec_t.id] = replace(sec_t, size=4 * len(infos), secinfos=tuple(infos))
        elif sec_t.name == KCONFIG_SEC:
            infos = []
            size = 0
            for vsi in sec_t.secinfos:
                vt = types[vsi.type]
                types[vt.id] = replace(vt, linkage=VAR_GLOBAL_ALLOCATED)
                off = kconfig_offsets.get(vt.name, 0)
                infos.append(VarSecinfo(vsi.type, off, vsi.size))
                size = max(size, off + vsi.size)
            kconfig = next((m for m in obj.maps if m.section == KCONFIG_SEC), None)
            infos.sort(key=lambda v: v.offset)
            types[sec_t.id] = replace(sec_t, size=kconfig.value_size if kconfig else size,
                                      secinfos=tuple(infos))
        else:
            types[sec_t.id] = _fixup_datasec(obj, sec_t, types, sections.get(sec_t.name))
    ordered = [types[i] for i in range(btf.start_id, next_id)]
    return Btf.parse(encode_btf(ordered, strings=btf.raw_strings), f"{obj.path} (program BTF)")


def _fixup_datasec(obj: BpfObject, sec_t: BtfType, types: dict[int, BtfType],
                   section: Section | None) -> BtfType:
    if sec_t.size:  # already laid out: only sort
        return replace(sec_t, secinfos=tuple(sorted(sec_t.secinfos, key=lambda v: v.offset)))
    if section is None:
        raise LinkError(f"sec '{sec_t.name}': failed to determine size from ELF")
    size = section.size
    sec_index = section.index
    infos = []
    for vsi in sec_t.secinfos:
        vt = types[vsi.type]
        if vt.kind is not Kind.VAR or vt.linkage == LINKAGE_STATIC:
            infos.append(vsi)  # libbpf keeps the compiler's offset of a static VAR
            continue
        sym = next((s for s in obj.symbols if s.name == vt.name and s.type == SymType.OBJECT
                    and s.shndx == sec_index), None)
        if sym is None:
            raise LinkError(f"failed to find symbol for variable '{vt.name}' in "
                            f"section '{sec_t.name}'")
        if sym.value + vsi.size > size:
            raise LinkError(f"variable '{vt.name}' at offset {sym.value} (size "
                            f"{vsi.size}) is outside section '{sec_t.name}' "
                            f"({size} bytes)")
        if vt.linkage == VAR_GLOBAL_ALLOCATED and sym.visibility in (_STV_HIDDEN,
                                                                     _STV_INTERNAL):
            types[vt.id] = replace(vt, linkage=LINKAGE_STATIC)
        infos.append(VarSecinfo(vsi.type, sym.value, vsi.size))
    infos.sort(key=lambda v: v.offset)
    return replace(sec_t, size=size, secinfos=tuple(infos))

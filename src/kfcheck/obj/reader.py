"""``read_object``: a BPF ELF object (as clang emits it) read the way libbpf reads it."""

from __future__ import annotations

import struct
from dataclasses import replace

from kfcheck.btf.ext import BtfExt
from kfcheck.btf.parse import Btf
from kfcheck.errors import BtfError, ElfError, UnsupportedElf, UnsupportedInput, in_file
from kfcheck.files import read_input
from kfcheck.isa.insn import INSN_SIZE
from kfcheck.obj import maps as mapdefs
from kfcheck.obj.elf import ElfImage, load_elf
from kfcheck.obj.externs import collect_externs
from kfcheck.obj.model import (
    BPF_F_SLEEPABLE,
    BPF_F_XDP_HAS_FRAGS,
    HIDDEN_VISIBILITIES,
    SHT_PROGBITS,
    BpfObject,
    Function,
    MapDef,
    Program,
    Reloc,
    Section,
    SymBind,
    Symbol,
    SymType,
)
from kfcheck.obj.relocs import RelocContext, section_relocs
from kfcheck.obj.sections import classify_section

TEXT_SEC = ".text"
BTF_SEC = ".BTF"
BTF_EXT_SEC = ".BTF.ext"
LICENSE_MAX = 512


def read_object(path: str) -> BpfObject:
    """Read a BPF object file; ``ElfError`` naming ``path`` on any bad input."""
    with in_file(path):
        image = load_elf(read_input(path, ElfError))
        try:
            return _build(path, image)
        except BtfError as err:
            raise _bad("bad BTF: ", err) from None


def _bad(where: str, err: BtfError) -> ElfError:
    """The object's error for its bad BTF: ``err`` after ``where``, still unsupported if it was."""
    if isinstance(err, UnsupportedInput):
        return UnsupportedElf(err.what, where=where + err.where)
    return ElfError(where + err.problem)


def _build(path: str, image: ElfImage) -> BpfObject:
    sections, symbols = image.sections, image.symbols
    if any(s.name == "maps" for s in sections):
        raise UnsupportedElf("legacy map definitions in 'maps' section")
    btf = _program_btf(sections)
    btf_ext = _program_btf_ext(sections, btf)
    obj_name = mapdefs.object_name(path)

    functions = _functions(sections, symbols)
    externs, kconfig_size = collect_externs(btf, symbols)
    maps = _maps(image, btf, obj_name, functions, kconfig_size)

    ctx = RelocContext(
        sections, symbols, tuple(functions), tuple(maps),
        {e.sym_index: e for e in externs}, _maps_sec_index(sections),
    )
    relocs: dict[tuple[int, int], list[Reloc]] = {}
    for rel in image.rel_sections:
        if sections[rel.target_index].is_exec:
            relocs.update(section_relocs(ctx, rel))
    programs: list[Program] = []
    subprograms: list[Function] = []
    for func in functions:
        with_relocs = replace(func, relocations=tuple(relocs.get((func.sec_index, func.offset),
                                                                  ())))
        if isinstance(with_relocs, Program):
            programs.append(with_relocs)
        else:
            subprograms.append(with_relocs)
    return BpfObject(
        path=path, name=obj_name, license=_license(sections),
        kern_version=_kern_version(sections), btf=btf, btf_ext=btf_ext,
        programs=tuple(programs), subprograms=tuple(subprograms), maps=tuple(maps),
        externs=externs, sections=sections, symbols=symbols,
    )


# ---- license, version, BTF ----


def _license(sections: tuple[Section, ...]) -> str:
    """The ``license`` section up to its first NUL (libbpf keeps at most 511 bytes)."""
    sec = _named(sections, "license")
    if sec is None:
        return ""
    raw = sec.data[: LICENSE_MAX - 1].split(b"\0", 1)[0]
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        raise ElfError("license is not ASCII") from None


def _kern_version(sections: tuple[Section, ...]) -> int | None:
    sec = _named(sections, "version")
    if sec is None:
        return None
    if len(sec.data) != 4:
        raise ElfError(f"invalid kver section (size {len(sec.data)}, expected 4)")
    (value,) = struct.unpack("<I", sec.data)
    return int(value)


def _named(sections: tuple[Section, ...], name: str) -> Section | None:
    return next((s for s in sections if s.name == name), None)


def _program_btf(sections: tuple[Section, ...]) -> Btf | None:
    sec = _named(sections, BTF_SEC)
    if sec is None:
        return None
    if sec.type != SHT_PROGBITS:
        raise ElfError(f"section '{BTF_SEC}' is not PROGBITS")
    try:
        return Btf.parse(sec.data, BTF_SEC)
    except BtfError as err:
        raise _bad(f"bad {BTF_SEC}: ", err) from None


def _program_btf_ext(sections: tuple[Section, ...], btf: Btf | None) -> BtfExt | None:
    """The parsed .BTF.ext (None without .BTF.ext or .BTF)."""
    sec = _named(sections, BTF_EXT_SEC)
    if sec is None or btf is None:
        return None
    if sec.type != SHT_PROGBITS:
        raise ElfError(f"section '{BTF_EXT_SEC}' is not PROGBITS")
    try:
        return BtfExt.parse(sec.data, btf)
    except BtfError as err:
        raise _bad(f"bad {BTF_EXT_SEC}: ", err) from None


# ---- functions ----


def _functions(sections: tuple[Section, ...], symbols: tuple[Symbol, ...]) -> list[Function]:
    """Every STT_FUNC in an executable section, in section then offset order."""
    found: list[Function] = []
    for sec in sections:
        if not sec.is_exec or not sec.data:
            continue
        syms = sorted((s for s in symbols if s.shndx == sec.index and s.type == SymType.FUNC),
                      key=lambda s: s.value)
        bare_name = sec.name.removeprefix("?")  # "?" marks programs not loaded by default
        info = classify_section(bare_name)
        for sym in syms:
            if sym.value % INSN_SIZE or sym.size % INSN_SIZE or sym.size == 0:
                raise ElfError(f"function '{sym.name}' in '{sec.name}' is not made of "
                               f"whole instructions (offset {sym.value}, size {sym.size})")
            if sym.value + sym.size > len(sec.data):
                raise ElfError(f"sec '{sec.name}': program at offset {sym.value} "
                               f"crosses section boundary")
            insns = sec.data[sym.value : sym.value + sym.size]
            is_global = sym.bind != SymBind.LOCAL
            hidden = sym.visibility in HIDDEN_VISIBILITIES
            if sec.name == TEXT_SEC:
                found.append(Function(sym.name, sec.name, sec.index, sym.value, insns,
                                      is_global, hidden, ()))
                continue
            flags = (BPF_F_SLEEPABLE if info.sleepable else 0) | (
                BPF_F_XDP_HAS_FRAGS if info.xdp_frags else 0)
            found.append(Program(
                sym.name, sec.name, sec.index, sym.value, insns, is_global, hidden, (),
                bare_name, info.prog_type, info.expected_attach_type,
                info.attach_target, info.sleepable, bare_name == sec.name, flags,
            ))
    return found


# ---- maps ----


def _maps_sec_index(sections: tuple[Section, ...]) -> int:
    sec = _named(sections, mapdefs.MAPS_SEC)
    return sec.index if sec is not None else 0


def _maps(image: ElfImage, btf: Btf | None, obj_name: str,
          functions: list[Function], kconfig_size: int) -> list[MapDef]:
    """Maps in libbpf's order: ``.maps``, then data sections by index, then ``.kconfig``."""
    sections, symbols = image.sections, image.symbols
    maps: list[MapDef] = []
    maps_sec = _named(sections, mapdefs.MAPS_SEC)
    if maps_sec is not None and maps_sec.size:
        btf_maps = mapdefs.btf_defined_maps(btf, maps_sec, symbols)
        entries: list[tuple[int, Symbol]] = []
        for rel in image.rel_sections:
            if rel.target_index == maps_sec.index:
                entries.extend((e.offset, symbols[e.sym_index]) for e in rel.entries)
        program_starts = {(f.sec_index, f.offset) for f in functions if isinstance(f, Program)}

        def is_program(sym: Symbol) -> bool:
            return (sym.shndx, sym.value) in program_starts

        maps.extend(mapdefs.with_init_slots(btf_maps, maps_sec, entries, is_program))
    for sec in sections:
        origin = mapdefs.data_section_origin(sec)
        if origin is not None and sec.size:
            maps.append(mapdefs.data_map(btf, obj_name, sec, origin, symbols))
    if kconfig_size:
        maps.append(mapdefs.kconfig_map(btf, obj_name, kconfig_size,
                                        sections[image.symtab_index]))
    arena_sec = _named(sections, mapdefs.ARENA_SEC)
    if arena_sec is not None:
        maps = mapdefs.with_arena_data(maps, arena_sec)
    return maps


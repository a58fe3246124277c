"""The sections, symbols and relocation entries of a BPF object, validated.

``kfcheck.elf`` reads the ELF header, the section table and the contents; this module adds
what makes a BPF object (ELF64, little-endian, EM_BPF, relocatable, one symbol table) and
decodes the symbol table and the relocation sections.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from kfcheck.elf import ELFCLASS64, ElfFile, read_header
from kfcheck.errors import ElfError, UnsupportedElf
from kfcheck.obj.model import (
    SHT_NOBITS,
    SHT_REL,
    SHT_STRTAB,
    SHT_SYMTAB,
    Section,
    Symbol,
    SymType,
)

EM_BPF = 247
ET_REL = 1
SYM_SIZE = 24
REL_SIZE = 16
SHN_LORESERVE = 0xFF00
MAX_NOBITS_SIZE = 1 << 30  # far above any map value size the kernel accepts
_DATA_RELOCATED = (".maps", ".struct_ops", ".struct_ops.link")

_ET_NAMES = {0: "ET_NONE", 1: "ET_REL", 2: "ET_EXEC", 3: "ET_DYN", 4: "ET_CORE"}
_EM_NAMES = {0: "EM_NONE", 3: "EM_386", 40: "EM_ARM", 62: "EM_X86_64", 183: "EM_AARCH64",
             243: "EM_RISCV", 247: "EM_BPF"}


@dataclass(frozen=True, slots=True)
class RelEntry:
    """One Elf64_Rel entry of a relocation section."""

    offset: int
    sym_index: int
    type: int


@dataclass(frozen=True, slots=True)
class RelSection:
    """A SHT_REL section and the section its entries patch."""

    index: int
    name: str
    target_index: int
    entries: tuple[RelEntry, ...]


@dataclass(frozen=True, slots=True)
class ElfImage:
    """The validated contents of a BPF ELF object."""

    sections: tuple[Section, ...]  # by index; index 0 is the null section
    symbols: tuple[Symbol, ...]    # by index; index 0 is the null symbol
    symtab_index: int
    rel_sections: tuple[RelSection, ...]


def _open(data: bytes) -> ElfFile:
    """The section table of a BPF object, after the header checks that make one."""
    hdr = read_header(data)
    if hdr.elf_class != ELFCLASS64:
        raise UnsupportedElf("32-bit ELF (BPF objects are ELF64)")
    if hdr.byte_order == ">":
        raise UnsupportedElf("big-endian BPF object")
    if hdr.e_machine != EM_BPF:
        name = _EM_NAMES.get(hdr.e_machine, "")
        shown = f"{hdr.e_machine} ({name})" if name else str(hdr.e_machine)
        raise ElfError(f"not a BPF object: e_machine is {shown}, expected 247 (EM_BPF)")
    if hdr.e_type != ET_REL:
        raise ElfError(f"not a relocatable object: e_type is "
                       f"{_ET_NAMES.get(hdr.e_type, hdr.e_type)}")
    return ElfFile(data, hdr)


def _sections(elf: ElfFile) -> tuple[Section, ...]:
    """Every section with its contents (none for SHT_NOBITS)."""
    for sec in elf.sections[1:]:
        if sec.type == SHT_NOBITS and sec.size > MAX_NOBITS_SIZE:
            raise ElfError(f"section {sec.index} too large ({sec.size} bytes)")
    return (Section(0, "", 0, 0, 0, 0, 0, 0, 0, b""),) + tuple(
        Section(sec.index, sec.name, sec.type, sec.flags, sec.size, sec.link, sec.info,
                sec.entsize, sec.addralign, b"" if sec.type == SHT_NOBITS else elf.contents(sec))
        for sec in elf.sections[1:]
    )


def _symbols(symtab_index: int, sections: tuple[Section, ...]) -> tuple[Symbol, ...]:
    symtab = sections[symtab_index]
    if symtab.entsize != SYM_SIZE:
        raise ElfError(f"bad symbol table entry size {symtab.entsize}")
    if not 0 < symtab.link < len(sections) or sections[symtab.link].type != SHT_STRTAB:
        raise ElfError(f"symbol table links to bad string table {symtab.link}")
    strtab = sections[symtab.link].data
    symbols: list[Symbol] = []
    for idx, (name_off, info, other, shndx, value, size) in enumerate(
            struct.iter_unpack("<IBBHQQ", symtab.data[: len(symtab.data) // SYM_SIZE * SYM_SIZE])):
        if name_off and name_off >= len(strtab):
            raise ElfError(f"symbol {idx}: name offset {name_off} out of the string table "
                           f"({len(strtab)} bytes)")
        end = strtab.find(b"\0", name_off)
        name = strtab[name_off : end if end >= 0 else len(strtab)].decode("latin-1")
        if shndx >= len(sections) and shndx < SHN_LORESERVE:
            raise ElfError(f"symbol {idx} '{name}' in bad section {shndx}")
        if info & 0xF == SymType.SECTION and not name and 0 < shndx < len(sections):
            name = sections[shndx].name
        symbols.append(Symbol(idx, name, value, size, info & 0xF, info >> 4, other & 3, shndx))
    return tuple(symbols)


def _rel_sections(sections: tuple[Section, ...], nsyms: int) -> tuple[RelSection, ...]:
    """Relocation sections for code and for ``.maps``/``.struct_ops*`` (others, such as
    debug info, are checked for shape only, as libbpf does)."""
    rels: list[RelSection] = []
    for sec in sections:
        if sec.type != SHT_REL:
            continue
        if sec.entsize != REL_SIZE:
            raise ElfError(f"section '{sec.name}': bad relocation entry size {sec.entsize}")
        if not 0 < sec.info < len(sections):
            raise ElfError(f"section '{sec.name}': relocates bad section {sec.info}")
        target = sections[sec.info]
        if not target.is_exec and target.name.lstrip("?") not in _DATA_RELOCATED:
            continue
        entries = tuple(RelEntry(offset, r_info >> 32, r_info & 0xFFFFFFFF)
                        for offset, r_info in struct.iter_unpack(
                            "<QQ", sec.data[: len(sec.data) // REL_SIZE * REL_SIZE]))
        for num, entry in enumerate(entries):
            if entry.sym_index >= nsyms:
                raise ElfError(f"section '{sec.name}': relocation #{num} refers to missing "
                               f"symbol {entry.sym_index} (symbol table has {nsyms})")
        rels.append(RelSection(sec.index, sec.name, sec.info, entries))
    return tuple(rels)


def load_elf(data: bytes) -> ElfImage:
    """Decode and validate the ELF structure of a BPF object held in ``data``."""
    elf = _open(data)
    for sec in elf.sections[1:]:  # every section inside the file before any is read
        if sec.type != SHT_NOBITS:
            elf.check_bounds(sec)
    sections = _sections(elf)
    symtabs = [sec.index for sec in sections if sec.type == SHT_SYMTAB]
    if not symtabs:
        raise ElfError("no symbol table (stripped object?)")
    if len(symtabs) > 1:
        raise ElfError("multiple symbol tables")
    symbols = _symbols(symtabs[0], sections)
    rel_sections = _rel_sections(sections, len(symbols))
    return ElfImage(sections, symbols, symtabs[0], rel_sections)

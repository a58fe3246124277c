"""ELF layer: sections, symbols and relocation entries of a BPF object, validated.

pyelftools does the decoding; every failure it can raise on garbage becomes ``ElfError``,
and the checks it does not do (bounds, indices, BPF machine) are made here first so that
the message names the problem.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection
from elftools.elf.sections import SymbolTableSection

from kfcheck.btf.elf import ELF_MAGIC
from kfcheck.errors import ElfError, UnsupportedElf
from kfcheck.files import MAX_INPUT_SIZE, read_input
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
EHDR_SIZE = 64
SHDR_SIZE = 64
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


@contextmanager
def _wrapped(path: str, what: str) -> Iterator[None]:
    """Turn whatever pyelftools raises on malformed input into one ``ElfError``."""
    try:
        yield
    except ElfError:
        raise
    except Exception as err:  # pyelftools raises many kinds of exception on garbage
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ElfError(path, f"malformed ELF ({what}): {detail}") from err


def read_file(path: str) -> bytes:
    """The file's bytes; ``ElfError`` for a missing file, a directory, no permission."""
    return read_input(path, ElfError)


def _check_header(path: str, data: bytes) -> tuple[int, int, int]:
    """Validate the ELF header; return (e_shoff, e_shnum, e_shstrndx)."""
    if len(data) < 4 or data[:4] != ELF_MAGIC:
        raise ElfError(path, "not an ELF file")
    if len(data) < EHDR_SIZE:
        raise ElfError(path, f"truncated ELF header ({len(data)} of {EHDR_SIZE} bytes)")
    if data[4] != 2:
        raise UnsupportedElf(path, "32-bit ELF (BPF objects are ELF64)")
    if data[5] == 2:
        raise UnsupportedElf(path, "big-endian BPF object")
    if data[5] != 1:
        raise ElfError(path, f"bad ELF data encoding {data[5]}")
    (e_type, e_machine, _ver, _entry, _phoff, e_shoff, _flags, _ehsize, _phentsize, _phnum,
     e_shentsize, e_shnum, e_shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)
    if e_machine != EM_BPF:
        name = _EM_NAMES.get(e_machine, "")
        shown = f"{e_machine} ({name})" if name else str(e_machine)
        raise ElfError(path, f"not a BPF object: e_machine is {shown}, expected 247 (EM_BPF)")
    if e_type != ET_REL:
        raise ElfError(path, f"not a relocatable object: e_type is {_ET_NAMES.get(e_type, e_type)}")
    if e_shoff == 0 or e_shnum == 0:
        raise ElfError(path, "no section header table")
    if e_shentsize != SHDR_SIZE:
        raise ElfError(path, f"bad section header size {e_shentsize} (expected {SHDR_SIZE})")
    if e_shoff + e_shnum * SHDR_SIZE > len(data):
        raise ElfError(
            path,
            f"section header table out of file bounds ({e_shnum} headers at offset {e_shoff}, "
            f"file size {len(data)})",
        )
    if e_shstrndx == 0 or e_shstrndx >= e_shnum:
        raise ElfError(path, f"bad section name table index {e_shstrndx}")
    return e_shoff, e_shnum, e_shstrndx


def _check_section_bounds(path: str, data: bytes, e_shoff: int, e_shnum: int) -> None:
    """Every section with file contents must lie inside the file."""
    for idx in range(1, e_shnum):
        (_name, sh_type, _flags, _addr, sh_offset, sh_size, _link, _info, _align,
         _entsize) = struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + idx * SHDR_SIZE)
        if sh_type == SHT_NOBITS and sh_size > MAX_NOBITS_SIZE:
            raise ElfError(path, f"section {idx} too large ({sh_size} bytes)")
        if sh_type != SHT_NOBITS and sh_offset + sh_size > len(data):
            raise ElfError(
                path,
                f"section {idx} out of file bounds (offset {sh_offset}, size {sh_size}, "
                f"file size {len(data)})",
            )


def _sections(path: str, elf: ELFFile) -> tuple[Section, ...]:
    sections = [Section(0, "", 0, 0, 0, 0, 0, 0, 0, b"")]
    budget = MAX_INPUT_SIZE  # for compressed sections (pyelftools inflates them)
    for idx in range(1, elf.num_sections()):
        with _wrapped(path, f"section {idx}"):
            sec = elf.get_section(idx)
            hdr = sec.header
            name = sec.name
            if sec.compressed and hdr["sh_type"] != "SHT_NOBITS":
                budget -= sec.data_size
                if budget < 0:
                    raise ElfError(path, f"section {idx}: compressed sections decompress to "
                                   f"more than the {MAX_INPUT_SIZE}-byte limit")
            data = b"" if hdr["sh_type"] == "SHT_NOBITS" else bytes(sec.data())
            sh_type = _raw_type(hdr["sh_type"])
        sections.append(
            Section(idx, name, sh_type, hdr["sh_flags"], hdr["sh_size"], hdr["sh_link"],
                    hdr["sh_info"], hdr["sh_entsize"], hdr["sh_addralign"], data)
        )
    return tuple(sections)


_SHT_BY_NAME = {"SHT_NULL": 0, "SHT_PROGBITS": 1, "SHT_SYMTAB": 2, "SHT_STRTAB": 3,
                "SHT_RELA": 4, "SHT_HASH": 5, "SHT_DYNAMIC": 6, "SHT_NOTE": 7,
                "SHT_NOBITS": 8, "SHT_REL": 9, "SHT_SHLIB": 10, "SHT_DYNSYM": 11,
                "SHT_INIT_ARRAY": 14, "SHT_FINI_ARRAY": 15, "SHT_PREINIT_ARRAY": 16,
                "SHT_GROUP": 17, "SHT_SYMTAB_SHNDX": 18, "SHT_LLVM_ADDRSIG": 0x6FFF4C03}


def _raw_type(sh_type: object) -> int:
    """pyelftools gives a name for known types and the number otherwise."""
    if isinstance(sh_type, int):
        return sh_type
    return _SHT_BY_NAME.get(str(sh_type), -1)


def _symbols(path: str, elf: ELFFile, symtab_index: int,
             sections: tuple[Section, ...]) -> tuple[Symbol, ...]:
    symtab_hdr = sections[symtab_index]
    if symtab_hdr.entsize != SYM_SIZE:
        raise ElfError(path, f"bad symbol table entry size {symtab_hdr.entsize}")
    if not 0 < symtab_hdr.link < len(sections) or sections[symtab_hdr.link].type != SHT_STRTAB:
        raise ElfError(path, f"symbol table links to bad string table {symtab_hdr.link}")
    symbols: list[Symbol] = []
    with _wrapped(path, "symbol table"):
        table = elf.get_section(symtab_index)
        assert isinstance(table, SymbolTableSection)
        for idx in range(table.num_symbols()):
            raw = table.get_symbol(idx)
            info = raw.entry["st_info"]
            symbols.append(
                Symbol(idx, raw.name, raw.entry["st_value"], raw.entry["st_size"],
                       _raw_symtype(info["type"]), _raw_bind(info["bind"]),
                       _raw_vis(raw.entry["st_other"]["visibility"]),
                       _raw_shndx(raw.entry["st_shndx"]))
            )
    named: list[Symbol] = []
    for sym in symbols:
        if sym.shndx >= len(sections) and sym.shndx < SHN_LORESERVE:
            raise ElfError(path, f"symbol {sym.index} '{sym.name}' in bad section {sym.shndx}")
        if sym.type == SymType.SECTION and not sym.name and 0 < sym.shndx < len(sections):
            sym = Symbol(sym.index, sections[sym.shndx].name, sym.value, sym.size, sym.type,
                         sym.bind, sym.visibility, sym.shndx)
        named.append(sym)
    return tuple(named)


_SHN_BY_NAME = {"SHN_UNDEF": 0, "SHN_ABS": 0xFFF1, "SHN_COMMON": 0xFFF2, "SHN_XINDEX": 0xFFFF}
_STT_BY_NAME = {"STT_NOTYPE": 0, "STT_OBJECT": 1, "STT_FUNC": 2, "STT_SECTION": 3,
                "STT_FILE": 4, "STT_COMMON": 5, "STT_TLS": 6}
_STB_BY_NAME = {"STB_LOCAL": 0, "STB_GLOBAL": 1, "STB_WEAK": 2}
_STV_BY_NAME = {"STV_DEFAULT": 0, "STV_INTERNAL": 1, "STV_HIDDEN": 2, "STV_PROTECTED": 3}


def _raw_shndx(value: object) -> int:
    return value if isinstance(value, int) else _SHN_BY_NAME.get(str(value), 0xFFFF)


def _raw_symtype(value: object) -> int:
    return value if isinstance(value, int) else _STT_BY_NAME.get(str(value), 0xF)


def _raw_bind(value: object) -> int:
    return value if isinstance(value, int) else _STB_BY_NAME.get(str(value), 0xF)


def _raw_vis(value: object) -> int:
    return value if isinstance(value, int) else _STV_BY_NAME.get(str(value), 0)


def _rel_sections(path: str, elf: ELFFile, sections: tuple[Section, ...],
                  nsyms: int) -> tuple[RelSection, ...]:
    """Relocation sections for code and for ``.maps``/``.struct_ops*`` (others, such as
    debug info, are checked for shape only, as libbpf does)."""
    rels: list[RelSection] = []
    for sec in sections:
        if sec.type != SHT_REL:
            continue
        if sec.entsize != REL_SIZE:
            raise ElfError(path, f"section '{sec.name}': bad relocation entry size {sec.entsize}")
        if not 0 < sec.info < len(sections):
            raise ElfError(path, f"section '{sec.name}': relocates bad section {sec.info}")
        target = sections[sec.info]
        if not target.is_exec and target.name.lstrip("?") not in _DATA_RELOCATED:
            continue
        entries: list[RelEntry] = []
        with _wrapped(path, f"section '{sec.name}'"):
            table = elf.get_section(sec.index)
            assert isinstance(table, RelocationSection)
            for rel in table.iter_relocations():
                entries.append(RelEntry(rel["r_offset"], rel["r_info_sym"], rel["r_info_type"]))
        for num, entry in enumerate(entries):
            if entry.sym_index >= nsyms:
                raise ElfError(
                    path,
                    f"section '{sec.name}': relocation #{num} refers to missing symbol "
                    f"{entry.sym_index} (symbol table has {nsyms})",
                )
        rels.append(RelSection(sec.index, sec.name, sec.info, tuple(entries)))
    return tuple(rels)


def load_elf(path: str, data: bytes) -> ElfImage:
    """Decode and validate the ELF structure of a BPF object held in ``data``."""
    e_shoff, e_shnum, _shstrndx = _check_header(path, data)
    _check_section_bounds(path, data, e_shoff, e_shnum)
    with _wrapped(path, "header"):
        elf = ELFFile(io.BytesIO(data))
    sections = _sections(path, elf)
    symtabs = [sec.index for sec in sections if sec.type == SHT_SYMTAB]
    if not symtabs:
        raise ElfError(path, "no symbol table (stripped object?)")
    if len(symtabs) > 1:
        raise ElfError(path, "multiple symbol tables")
    symbols = _symbols(path, elf, symtabs[0], sections)
    rel_sections = _rel_sections(path, elf, sections, len(symbols))
    return ElfImage(sections, symbols, symtabs[0], rel_sections)

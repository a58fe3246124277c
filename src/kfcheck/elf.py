"""The one ELF reader: the header, the section table and section contents of an ELF file.

ELF32 and ELF64, either byte order. Every offset and size is checked against the file before it
is used (headers may claim 2^64 - 1), compressed sections are inflated within a limit, and every
problem is an ``ElfError`` naming it. What a BPF object needs beyond this (machine, file type,
symbols, relocations) is checked in ``kfcheck.obj.elf``.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from kfcheck.errors import ElfError
from kfcheck.files import MAX_INPUT_SIZE

ELF_MAGIC = b"\x7fELF"
ELFCLASS32, ELFCLASS64 = 1, 2
ELFDATA2LSB, ELFDATA2MSB = 1, 2
SHT_NOBITS = 8
SHF_COMPRESSED = 0x800
ELFCOMPRESS_ZLIB = 1

_EHDR_SIZE = {ELFCLASS32: 52, ELFCLASS64: 64}
_SHDR_SIZE = {ELFCLASS32: 40, ELFCLASS64: 64}
_EHDR_TAIL = {ELFCLASS32: "HHIIIIIHHHHHH", ELFCLASS64: "HHIQQQIHHHHHH"}  # from e_type
_SHDR = {ELFCLASS32: "IIIIIIIIII", ELFCLASS64: "IIQQQQIIQQ"}
_CHDR = {ELFCLASS32: "III", ELFCLASS64: "IIQQ"}  # ch_type, [reserved,] ch_size, ch_addralign


def is_elf(data: bytes) -> bool:
    """Whether ``data`` starts like an ELF file."""
    return data[:4] == ELF_MAGIC


@dataclass(frozen=True, slots=True)
class ElfHeader:
    """The fields of the ELF header that locate and describe the sections."""

    elf_class: int   # ELFCLASS32 or ELFCLASS64
    byte_order: str  # "<" or ">", for ``struct``
    e_type: int
    e_machine: int
    e_shoff: int
    e_shentsize: int
    e_shnum: int
    e_shstrndx: int


@dataclass(frozen=True, slots=True)
class SectionHeader:
    """One entry of the section header table, its name read from the name table."""

    index: int
    name: str
    type: int
    flags: int
    offset: int
    size: int
    link: int
    info: int
    addralign: int
    entsize: int


def read_header(data: bytes) -> ElfHeader:
    """The ELF header of ``data``; ``ElfError`` if it is not one."""
    if not is_elf(data):
        raise ElfError("not an ELF file")
    elf_class = data[4] if len(data) > 4 else ELFCLASS64
    needed = _EHDR_SIZE.get(elf_class, _EHDR_SIZE[ELFCLASS64])
    if len(data) < needed:
        raise ElfError(f"truncated ELF header ({len(data)} of {needed} bytes)")
    if elf_class not in _EHDR_SIZE:
        raise ElfError(f"bad ELF class {elf_class}")
    if data[5] not in (ELFDATA2LSB, ELFDATA2MSB):
        raise ElfError(f"bad ELF data encoding {data[5]}")
    order = "<" if data[5] == ELFDATA2LSB else ">"
    (e_type, e_machine, _ver, _entry, _phoff, e_shoff, _flags, _ehsize, _phentsize, _phnum,
     e_shentsize, e_shnum, e_shstrndx) = struct.unpack_from(order + _EHDR_TAIL[elf_class],
                                                           data, 16)
    return ElfHeader(elf_class, order, e_type, e_machine, e_shoff, e_shentsize, e_shnum,
                     e_shstrndx)


class ElfFile:
    """The sections of an ELF file: the table checked whole, each section's contents checked
    when read."""

    def __init__(self, data: bytes, header: ElfHeader | None = None) -> None:
        self.data = data
        self.header = read_header(data) if header is None else header
        self._inflated = 0  # bytes inflated from compressed sections so far
        self.sections = self._read_table()

    def _read_table(self) -> tuple[SectionHeader, ...]:
        hdr, data = self.header, self.data
        entsize = _SHDR_SIZE[hdr.elf_class]
        if hdr.e_shoff == 0 or hdr.e_shnum == 0:
            raise ElfError("no section header table")
        if hdr.e_shentsize != entsize:
            raise ElfError(f"bad section header size {hdr.e_shentsize} (expected {entsize})")
        if hdr.e_shoff + hdr.e_shnum * entsize > len(data):
            raise ElfError(f"section header table out of file bounds ({hdr.e_shnum} headers at "
                           f"offset {hdr.e_shoff}, file size {len(data)})")
        if hdr.e_shstrndx == 0 or hdr.e_shstrndx >= hdr.e_shnum:
            raise ElfError(f"bad section name table index {hdr.e_shstrndx}")
        fmt = hdr.byte_order + _SHDR[hdr.elf_class]
        raw = [struct.unpack_from(fmt, data, hdr.e_shoff + idx * entsize)
               for idx in range(hdr.e_shnum)]
        names = raw[hdr.e_shstrndx]
        if names[1] == SHT_NOBITS:
            raise ElfError(f"section {hdr.e_shstrndx} (the section name table) has no contents")
        self._check_bounds(f"{hdr.e_shstrndx}", names[4], names[5])
        strtab = data[names[4] : names[4] + names[5]]
        sections = []
        for idx, (name_off, sh_type, flags, _addr, offset, size, link, info, align,
                  ent) in enumerate(raw):
            if name_off and name_off >= len(strtab):
                raise ElfError(f"section {idx}: name offset {name_off} out of the section name "
                               f"table ({len(strtab)} bytes)")
            end = strtab.find(b"\0", name_off)
            name = strtab[name_off : end if end >= 0 else len(strtab)]
            sections.append(SectionHeader(idx, name.decode("latin-1"), sh_type, flags, offset,
                                          size, link, info, align, ent))
        return tuple(sections)

    def check_bounds(self, sec: SectionHeader) -> None:
        """``ElfError`` unless the contents of ``sec`` lie inside the file."""
        self._check_bounds(sec.name or f"{sec.index}", sec.offset, sec.size)

    def _check_bounds(self, shown: str, offset: int, size: int) -> None:
        if offset + size > len(self.data):
            raise ElfError(f"section {shown} out of file bounds (offset {offset}, size {size}, "
                           f"file size {len(self.data)})")

    def by_name(self, name: str) -> SectionHeader | None:
        """The first section called ``name``."""
        return next((s for s in self.sections if s.name == name), None)

    def contents(self, sec: SectionHeader) -> bytes:
        """The bytes of a section (inflated if compressed); ``ElfError`` for a section out of
        the file, without contents (SHT_NOBITS), or inflating past ``MAX_INPUT_SIZE`` (one
        section, or all those read from this file)."""
        if sec.type == SHT_NOBITS:
            raise ElfError(f"section {sec.name} has no contents (SHT_NOBITS)")
        self.check_bounds(sec)
        raw = self.data[sec.offset : sec.offset + sec.size]
        if not sec.flags & SHF_COMPRESSED:
            return raw
        fmt = self.header.byte_order + _CHDR[self.header.elf_class]
        if len(raw) < struct.calcsize(fmt):
            raise ElfError(f"section {sec.name}: truncated compression header")
        ch_type, *_, ch_size, _ch_align = struct.unpack_from(fmt, raw)
        if ch_type != ELFCOMPRESS_ZLIB:
            raise ElfError(f"section {sec.name}: unknown compression type {ch_type:#x}")
        if ch_size > MAX_INPUT_SIZE:
            raise ElfError(f"section {sec.name} decompresses to {ch_size} bytes, more than the "
                           f"{MAX_INPUT_SIZE}-byte limit")
        self._inflated += ch_size
        if self._inflated > MAX_INPUT_SIZE:
            raise ElfError(f"section {sec.name}: compressed sections decompress to more than "
                           f"the {MAX_INPUT_SIZE}-byte limit")
        try:
            inflated = zlib.decompressobj().decompress(raw[struct.calcsize(fmt):], ch_size)
        except zlib.error as err:
            raise ElfError(f"section {sec.name}: bad compressed data: {err}") from None
        if len(inflated) != ch_size:
            raise ElfError(f"section {sec.name}: decompresses to {len(inflated)} bytes, not the "
                           f"{ch_size} its header says")
        return inflated

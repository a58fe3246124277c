"""The one ELF reader (``kfcheck.elf``) against pyelftools, an independent reader: the same
section table, contents and symbols for every committed object, and either byte order."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from kfcheck.btf.elf import btf_sections
from kfcheck.elf import ElfFile, read_header
from kfcheck.errors import ElfError
from kfcheck.obj.elf import load_elf

ROOT = Path(__file__).parent
OBJECTS = sorted([*(ROOT / "obj" / "progs").glob("*.o"), *(ROOT / "corpus").glob("*.o")])
CALLS = (ROOT / "obj" / "progs" / "calls.bpf.o").read_bytes()


def _raw(value: object, names: dict[str, int]) -> int:
    return value if isinstance(value, int) else names[str(value)]


@pytest.mark.parametrize("path", OBJECTS, ids=lambda p: p.name)
def test_sections_and_symbols_as_pyelftools_reads_them(path: Path) -> None:
    data = path.read_bytes()
    theirs = ELFFile(io.BytesIO(data))
    ours = ElfFile(data)
    assert len(ours.sections) == theirs.num_sections()
    for sec in ours.sections[1:]:
        ref = theirs.get_section(sec.index)
        hdr = ref.header
        assert (sec.name, sec.flags, sec.offset, sec.size, sec.link, sec.info, sec.addralign,
                sec.entsize) == (ref.name, hdr.sh_flags, hdr.sh_offset, hdr.sh_size,
                                 hdr.sh_link, hdr.sh_info, hdr.sh_addralign, hdr.sh_entsize)
        if hdr.sh_type != "SHT_NOBITS":
            assert ours.contents(sec) == ref.data()
    symtab = next(s for s in theirs.iter_sections() if isinstance(s, SymbolTableSection))
    image = load_elf(data)
    assert len(image.symbols) == symtab.num_symbols()
    for sym, ref_sym in zip(image.symbols, symtab.iter_symbols(), strict=True):
        shndx = _raw(ref_sym.entry.st_shndx, {"SHN_UNDEF": 0, "SHN_ABS": 0xFFF1,
                                              "SHN_COMMON": 0xFFF2})
        assert (sym.value, sym.size, sym.shndx) == (ref_sym.entry.st_value,
                                                     ref_sym.entry.st_size, shndx)
        if ref_sym.name or sym.type != 3:  # unnamed STT_SECTION symbols take their section's
            assert sym.name == ref_sym.name


def _big_endian(data: bytes) -> bytes:
    """``data`` (ELF64 LE) with its ELF header and section headers in big-endian order (the
    section contents are left as they are: only the reader's side is exercised)."""
    buf = bytearray(data)
    buf[5] = 2  # ELFDATA2MSB
    fmt = "HHIQQQIHHHHHH"
    struct.pack_into(">" + fmt, buf, 16, *struct.unpack_from("<" + fmt, data, 16))
    hdr = read_header(data)
    for idx in range(hdr.e_shnum):
        off = hdr.e_shoff + idx * 64
        struct.pack_into(">IIQQQQIIQQ", buf, off, *struct.unpack_from("<IIQQQQIIQQ", data, off))
    return bytes(buf)


def test_big_endian_section_table() -> None:
    little, big = ElfFile(CALLS), ElfFile(_big_endian(CALLS))
    assert big.header.byte_order == ">" and big.sections == little.sections
    assert btf_sections(_big_endian(CALLS)) == btf_sections(CALLS)


@pytest.mark.parametrize(("data", "problem"), [
    (b"\x7fELF\x02\x01\x01", "truncated ELF header (7 of 64 bytes)"),
    (b"\x7fELF\x07" + CALLS[5:], "bad ELF class 7"),
    (b"\x7fELF\x02\x03" + CALLS[6:], "bad ELF data encoding 3"),
])
def test_bad_headers(data: bytes, problem: str) -> None:
    with pytest.raises(ElfError) as info:
        ElfFile(data)
    assert (info.value.problem, info.value.path) == (problem, None)

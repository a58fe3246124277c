"""Minimal ELF access for BTF: the .BTF and .BTF.ext sections of an object file."""

from __future__ import annotations

import io
import struct

from elftools.common.exceptions import ELFError as PyElfError
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import Section

from kfcheck.errors import BtfError
from kfcheck.files import MAX_INPUT_SIZE

ELF_MAGIC = b"\x7fELF"


def is_elf(data: bytes) -> bool:
    """Whether ``data`` starts like an ELF file."""
    return data[:4] == ELF_MAGIC


def btf_sections(path: str, data: bytes) -> tuple[bytes, bytes | None]:
    """The .BTF section (required) and the .BTF.ext section (if any) of an ELF image."""
    try:
        elf = ELFFile(io.BytesIO(data))
        btf = elf.get_section_by_name(".BTF")
        ext = elf.get_section_by_name(".BTF.ext")
        if btf is None:
            raise BtfError(path, "ELF object has no .BTF section")
        btf_data = _contents(path, data, btf)
        ext_data = _contents(path, data, ext) if ext is not None else None
    except (PyElfError, ValueError, KeyError, IndexError, AssertionError, OverflowError,
            struct.error) as err:
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise BtfError(path, f"bad ELF file: {detail}") from None
    return btf_data, ext_data


def _contents(path: str, data: bytes, sec: Section) -> bytes:
    """A section's bytes, its header checked first: offsets and sizes are 64-bit numbers that
    pyelftools would seek to (2^63 and up overflow) or allocate (SHT_NOBITS, compressed)."""
    offset, size = sec["sh_offset"], sec["sh_size"]
    if sec["sh_type"] == "SHT_NOBITS":
        raise BtfError(path, f"section {sec.name} has no contents (SHT_NOBITS)")
    if offset + size > len(data):
        raise BtfError(path, f"section {sec.name} out of file bounds (offset {offset}, size "
                       f"{size}, file size {len(data)})")
    if sec.compressed and sec.data_size > MAX_INPUT_SIZE:
        raise BtfError(path, f"section {sec.name} decompresses to {sec.data_size} bytes, more "
                       f"than the {MAX_INPUT_SIZE}-byte limit")
    contents: bytes = sec.data()
    return contents


def btf_from_file_bytes(path: str, data: bytes) -> bytes:
    """Raw BTF from file contents: an ELF object's .BTF section, else the bytes themselves."""
    if is_elf(data):
        return btf_sections(path, data)[0]
    return data

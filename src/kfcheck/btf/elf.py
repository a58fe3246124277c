"""The .BTF and .BTF.ext sections of an ELF file (any ELF: an object, a vmlinux)."""

from __future__ import annotations

from kfcheck.elf import ElfFile, is_elf
from kfcheck.errors import BtfError, ElfError


def btf_sections(data: bytes) -> tuple[bytes, bytes | None]:
    """The .BTF section (required) and the .BTF.ext section (if any) of an ELF image."""
    try:
        elf = ElfFile(data)
    except ElfError as err:
        raise BtfError(f"bad ELF file: {err.problem}") from None
    btf, ext = elf.by_name(".BTF"), elf.by_name(".BTF.ext")
    if btf is None:
        raise BtfError("ELF object has no .BTF section")
    try:
        return elf.contents(btf), elf.contents(ext) if ext is not None else None
    except ElfError as err:
        raise BtfError(err.problem) from None


def btf_from_file_bytes(data: bytes) -> bytes:
    """Raw BTF from file contents: an ELF object's .BTF section, else the bytes themselves."""
    if is_elf(data):
        return btf_sections(data)[0]
    return data

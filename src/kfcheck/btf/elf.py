"""Minimal ELF access for BTF: the .BTF and .BTF.ext sections of an object file."""

from __future__ import annotations

import io

from elftools.common.exceptions import ELFError as PyElfError
from elftools.elf.elffile import ELFFile

from kfcheck.errors import BtfError

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
        btf_data: bytes = btf.data()
        ext_data: bytes | None = ext.data() if ext is not None else None
    except (PyElfError, ValueError, KeyError, IndexError, AssertionError) as err:
        raise BtfError(path, f"bad ELF file: {err}") from None
    return btf_data, ext_data


def btf_from_file_bytes(path: str, data: bytes) -> bytes:
    """Raw BTF from file contents: an ELF object's .BTF section, else the bytes themselves."""
    if is_elf(data):
        return btf_sections(path, data)[0]
    return data

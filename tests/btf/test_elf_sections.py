"""The .BTF and .BTF.ext sections of an ELF object whose headers lie: every lie is a one-line
BtfError (a reader that seeks to and allocates what the headers say overflows at 2^63)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfcheck.btf.elf import btf_sections
from kfcheck.errors import BtfError
from kfcheck.files import MAX_INPUT_SIZE

CALLS = (Path(__file__).parent.parent / "obj" / "progs" / "calls.bpf.o").read_bytes()
SHF_COMPRESSED = 0x800
SHT_NOBITS = 8


def _header(data: bytes, name: bytes) -> int:
    (e_shoff,) = struct.unpack_from("<Q", data, 0x28)
    e_shnum, e_shstrndx = struct.unpack_from("<HH", data, 0x3C)
    (strtab,) = struct.unpack_from("<Q", data, e_shoff + e_shstrndx * 64 + 24)
    for idx in range(e_shnum):
        hdr = e_shoff + idx * 64
        start = strtab + struct.unpack_from("<I", data, hdr)[0]
        if data[start : data.index(b"\0", start)] == name:
            return int(hdr)
    raise KeyError(name)


def _patched(fmt: str, offset: int, *values: int, data: bytes = CALLS) -> bytes:
    buf = bytearray(data)
    struct.pack_into(fmt, buf, offset, *values)
    return bytes(buf)


def _problem(data: bytes) -> str:
    with pytest.raises(BtfError) as info:
        btf_sections(data)
    assert "\n" not in info.value.problem
    return info.value.problem


def test_intact_object() -> None:
    btf, ext = btf_sections(CALLS)
    assert btf[:2] == b"\x9f\xeb" and ext is not None


@pytest.mark.parametrize("section", [b".BTF", b".BTF.ext"])
@pytest.mark.parametrize("field", [24, 32], ids=["sh_offset", "sh_size"])
@pytest.mark.parametrize("value", [1 << 63, (1 << 64) - 1, len(CALLS) + 1])
def test_section_beyond_the_file(section: bytes, field: int, value: int) -> None:
    problem = _problem(_patched("<Q", _header(CALLS, section) + field, value))
    name = section.decode()
    assert problem.startswith(f"section {name} out of file bounds (")
    assert f"{'offset' if field == 24 else 'size'} {value}" in problem


def test_section_header_table_at_2_63() -> None:
    assert _problem(_patched("<Q", 0x28, 1 << 63)).startswith("bad ELF file: ")


def test_nobits_btf() -> None:
    data = _patched("<Q", _header(CALLS, b".BTF") + 32, 1 << 62)
    data = _patched("<I", _header(CALLS, b".BTF") + 4, SHT_NOBITS, data=data)
    assert _problem(data) == "section .BTF has no contents (SHT_NOBITS)"


@pytest.mark.parametrize("size", [MAX_INPUT_SIZE + 1, 1 << 63, (1 << 64) - 1])
def test_compressed_btf_inflating_past_the_limit(size: int) -> None:
    """An Elf64_Chdr (zlib) claiming ``size`` bytes: refused before inflating anything."""
    hdr = _header(CALLS, b".BTF")
    (flags,) = struct.unpack_from("<Q", CALLS, hdr + 8)
    (offset,) = struct.unpack_from("<Q", CALLS, hdr + 24)
    data = _patched("<Q", hdr + 8, flags | SHF_COMPRESSED)
    data = _patched("<IIQQ", offset, 1, 0, size, 8, data=data)
    assert _problem(data) == (f"section .BTF decompresses to {size} bytes, more than the "
                              f"{MAX_INPUT_SIZE}-byte limit")


_FIELDS = st.sampled_from([(8, "<Q"), (24, "<Q"), (32, "<Q"), (40, "<I"), (56, "<Q"),
                           (4, "<I")])
_VALUES = st.one_of(st.integers(0, 1 << 16), st.integers(1 << 62, (1 << 64) - 1),
                    st.sampled_from([0, 1 << 31, 1 << 63, (1 << 64) - 1]))


@settings(max_examples=300, deadline=None)
@given(which=st.sampled_from([b".BTF", b".BTF.ext", b".strtab"]), field=_FIELDS,
       value=_VALUES)
def test_fuzz_section_header_fields(which: bytes, field: tuple[int, str], value: int) -> None:
    offset, fmt = field
    value &= 0xFFFFFFFF if fmt == "<I" else (1 << 64) - 1
    try:
        btf_sections(_patched(fmt, _header(CALLS, which) + offset, value))
    except BtfError as err:
        assert "\n" not in err.problem

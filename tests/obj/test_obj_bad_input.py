"""Bad input: every malformed object gives ElfError with a one-line problem, nothing else."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfcheck.errors import ElfError
from kfcheck.files import MAX_INPUT_SIZE
from kfcheck.obj import BpfObject, read_object

PROGS = Path(__file__).parent / "progs"
CALLS = (PROGS / "calls.bpf.o").read_bytes()
SHDR = 64


def shdrs(data: bytes) -> list[tuple[str, int, int, int, int]]:
    """(name, header offset, sh_type, sh_offset, sh_size) per section."""
    (e_shoff,) = struct.unpack_from("<Q", data, 0x28)
    e_shnum, e_shstrndx = struct.unpack_from("<HH", data, 0x3C)
    str_off = struct.unpack_from("<Q", data, e_shoff + e_shstrndx * SHDR + 24)[0]
    out = []
    for i in range(e_shnum):
        base = e_shoff + i * SHDR
        name_off, sh_type = struct.unpack_from("<II", data, base)
        sh_offset, sh_size = struct.unpack_from("<QQ", data, base + 24)
        end = data.index(b"\0", str_off + name_off)
        out.append((data[str_off + name_off : end].decode(), base, sh_type, sh_offset, sh_size))
    return out


def section(data: bytes, name: str) -> tuple[int, int, int]:
    """(header offset, contents offset, size) of a section."""
    for sec_name, hdr, _type, off, size in shdrs(data):
        if sec_name == name:
            return hdr, off, size
    raise KeyError(name)


def patched(data: bytes, offset: int, fmt: str, *values: int) -> bytes:
    buf = bytearray(data)
    struct.pack_into(fmt, buf, offset, *values)
    return bytes(buf)


def problem_of(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "bad.o"
    path.write_bytes(data)
    with pytest.raises(ElfError) as info:
        read_object(str(path))
    assert info.value.path == str(path)
    assert "\n" not in info.value.problem
    return info.value.problem


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ElfError, match="no such file"):
        read_object(str(tmp_path / "absent.o"))


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ElfError, match="is a directory"):
        read_object(str(tmp_path))


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "not an ELF file"),
    (b"hello, world", "not an ELF file"),
    (b"\x7fELF\x02\x01\x01", "truncated ELF header"),
    (b"\x7fELF\x01" + CALLS[5:], "32-bit"),
    (b"\x7fELF\x02\x02" + CALLS[6:], "big-endian"),
])
def test_header_problems(tmp_path: Path, data: bytes, expected: str) -> None:
    assert expected in problem_of(tmp_path, data)


def test_wrong_machine(tmp_path: Path) -> None:
    problem = problem_of(tmp_path, patched(CALLS, 18, "<H", 62))
    assert problem == "not a BPF object: e_machine is 62 (EM_X86_64), expected 247 (EM_BPF)"


def test_not_relocatable(tmp_path: Path) -> None:
    assert problem_of(tmp_path, patched(CALLS, 16, "<H", 3)) == (
        "not a relocatable object: e_type is ET_DYN")


def test_truncated_section_headers(tmp_path: Path) -> None:
    problem = problem_of(tmp_path, CALLS[:-100])
    assert problem.startswith("section header table out of file bounds")


def test_section_out_of_bounds(tmp_path: Path) -> None:
    hdr, _off, _size = section(CALLS, "xdp")
    problem = problem_of(tmp_path, patched(CALLS, hdr + 24, "<Q", len(CALLS) + 8))
    assert problem.startswith("section ") and "out of file bounds" in problem


def test_bad_shstrndx(tmp_path: Path) -> None:
    assert "section name table index" in problem_of(tmp_path, patched(CALLS, 0x3E, "<H", 999))


def test_relocation_to_missing_symbol(tmp_path: Path) -> None:
    _hdr, off, _size = section(CALLS, ".relxdp")
    (r_info,) = struct.unpack_from("<Q", CALLS, off + 8)
    data = patched(CALLS, off + 8, "<Q", (5000 << 32) | (r_info & 0xFFFFFFFF))
    problem = problem_of(tmp_path, data)
    assert problem.startswith("section '.relxdp': relocation #0 refers to missing symbol 5000")


def test_relocation_to_null_symbol(tmp_path: Path) -> None:
    _hdr, off, _size = section(CALLS, ".relxdp")
    (r_info,) = struct.unpack_from("<Q", CALLS, off + 8)
    problem = problem_of(tmp_path, patched(CALLS, off + 8, "<Q", r_info & 0xFFFFFFFF))
    assert "special section" in problem


def test_relocation_bad_offset(tmp_path: Path) -> None:
    _hdr, off, _size = section(CALLS, ".relxdp")
    problem = problem_of(tmp_path, patched(CALLS, off, "<Q", 3))
    assert problem == "section '.relxdp': invalid offset 0x3 for relo #0"


def test_relocation_on_wrong_instruction(tmp_path: Path) -> None:
    _hdr, off, _size = section(CALLS, ".relxdp")
    problem = problem_of(tmp_path, patched(CALLS, off, "<Q", 0))  # insn 0 is r6 = r1
    assert "not a call or ld_imm64 (code 0xbf)" in problem


def test_symbol_in_bad_section(tmp_path: Path) -> None:
    _hdr, off, _size = section(CALLS, ".symtab")
    # symbol 1 (the FILE symbol): st_shndx at +6
    problem = problem_of(tmp_path, patched(CALLS, off + 24 + 6, "<H", 500))
    assert "in bad section 500" in problem


def test_no_symbol_table(tmp_path: Path) -> None:
    hdr, _off, _size = section(CALLS, ".symtab")
    problem = problem_of(tmp_path, patched(CALLS, hdr + 4, "<I", 1))  # SYMTAB -> PROGBITS
    assert problem == "no symbol table (stripped object?)"


def test_function_crossing_section(tmp_path: Path) -> None:
    _hdr, off, _size = section(CALLS, ".symtab")
    nsyms = _size // 24
    for i in range(nsyms):
        base = off + i * 24
        info = CALLS[base + 4]
        if info & 0xF == 2:  # STT_FUNC: grow st_size past the section
            data = patched(CALLS, base + 16, "<Q", 1 << 20)
            problem = problem_of(tmp_path, data)
            assert "crosses section boundary" in problem
            return
    pytest.fail("no function symbol")


def test_corrupt_btf(tmp_path: Path) -> None:
    _hdr, off, _size = section(CALLS, ".BTF")
    problem = problem_of(tmp_path, patched(CALLS, off, "<H", 0x1234))  # BTF magic
    assert problem.startswith("bad .BTF: ")


def test_legacy_maps_section(tmp_path: Path) -> None:
    data = (PROGS / "maps.bpf.o").read_bytes()
    hdr, _off, _size = section(data, ".maps")
    names = shdrs(data)
    # rename ".maps" to "maps" by pointing its name one character further
    (name_off,) = struct.unpack_from("<I", data, hdr)
    assert names
    problem = problem_of(tmp_path, patched(data, hdr, "<I", name_off + 1))
    assert problem == "unsupported: legacy map definitions in 'maps' section"


# ---- fuzzing: truncations and byte flips of real objects ----

OBJECTS = [p.read_bytes() for p in sorted(PROGS.glob("*.bpf.o"))]
REUSED_TMP = [HealthCheck.function_scoped_fixture]  # one tmp_path per test is fine here


def _read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.o"
    path.write_bytes(data)
    try:
        result = read_object(str(path))
    except ElfError as err:
        assert err.problem and "\n" not in err.problem
    else:
        assert isinstance(result, BpfObject)


@settings(max_examples=150, deadline=None, suppress_health_check=REUSED_TMP)
@given(which=st.integers(0, len(OBJECTS) - 1), cut=st.integers(0, 1 << 16))
def test_fuzz_truncation(tmp_path: Path, which: int, cut: int) -> None:
    data = OBJECTS[which]
    _read(tmp_path, data[: cut % (len(data) + 1)])


@settings(max_examples=300, deadline=None, suppress_health_check=REUSED_TMP)
@given(which=st.integers(0, len(OBJECTS) - 1),
       flips=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(1, 255)), min_size=1,
                      max_size=6))
def test_fuzz_byte_flips(tmp_path: Path, which: int, flips: list[tuple[int, int]]) -> None:
    buf = bytearray(OBJECTS[which])
    for pos, mask in flips:
        buf[pos % len(buf)] ^= mask
    _read(tmp_path, bytes(buf))


@settings(max_examples=200, deadline=None, suppress_health_check=REUSED_TMP)
@given(which=st.integers(0, len(OBJECTS) - 1), flips=st.lists(
    st.tuples(st.integers(0, 1 << 12), st.integers(0, 255)), min_size=1, max_size=4))
def test_fuzz_header_and_tables(tmp_path: Path, which: int,
                                flips: list[tuple[int, int]]) -> None:
    """Writes aimed at the ELF header and the section header table and symbol table."""
    data = OBJECTS[which]
    (e_shoff,) = struct.unpack_from("<Q", data, 0x28)
    buf = bytearray(data)
    for pos, value in flips:
        where = pos % 64 if pos & 1 else e_shoff + pos % (len(data) - e_shoff)
        buf[where] = value
    _read(tmp_path, bytes(buf))


@pytest.mark.parametrize("size", [MAX_INPUT_SIZE + 1, 1 << 63, (1 << 64) - 1])
def test_compressed_section_inflating_past_the_limit(tmp_path: Path, size: int) -> None:
    """A zlib Elf64_Chdr claiming ``size`` bytes: refused before inflating anything (the
    message of ``kfcheck btf`` on the same file: one ELF reader)."""
    hdr, off, _size = section(CALLS, ".BTF")
    (flags,) = struct.unpack_from("<Q", CALLS, hdr + 8)
    data = patched(CALLS, hdr + 8, "<Q", flags | 0x800)  # SHF_COMPRESSED
    data = patched(data, off, "<IIQQ", 1, 0, size, 8)
    problem = problem_of(tmp_path, data)
    assert problem == (f"section .BTF decompresses to {size} bytes, more than the "
                       f"{MAX_INPUT_SIZE}-byte limit")


@pytest.mark.parametrize("field", [24, 32], ids=["sh_offset", "sh_size"])
@pytest.mark.parametrize("value", [1 << 63, (1 << 64) - 1])
def test_section_offset_or_size_of_2_63(tmp_path: Path, field: int, value: int) -> None:
    hdr, _off, _size = section(CALLS, ".BTF")
    problem = problem_of(tmp_path, patched(CALLS, hdr + field, "<Q", value))
    assert "out of file bounds" in problem and str(value) in problem

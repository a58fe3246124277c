"""Malformed BTF and .BTF.ext: each defect is a BtfError naming the problem; fuzzing finds
no other exception."""

from __future__ import annotations

import struct

import pytest
from btf_sample import sample_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfcheck.btf.dump import dump_type
from kfcheck.btf.ext import BtfExt
from kfcheck.btf.parse import Btf
from kfcheck.errors import BtfError

HDR = struct.Struct("<HBBIIIII")


def _with_header(data: bytes, **fields: int) -> bytes:
    names = ["magic", "version", "flags", "hdr_len", "type_off", "type_len", "str_off", "str_len"]
    values = dict(zip(names, HDR.unpack_from(data), strict=True))
    values.update(fields)
    return HDR.pack(*(values[n] for n in names)) + data[HDR.size :]


def _type_word(data: bytes, type_index: int, word: int) -> int:
    """Byte position of ``word`` of sample type #type_index (all records are walked)."""
    from kfcheck.btf.parse import Btf as _Btf

    btf = _Btf.parse(data)
    return 24 + 4 * (btf.type_offsets()[type_index - 1] + word)


def _patch_u32(data: bytes, pos: int, value: int) -> bytes:
    return data[:pos] + struct.pack("<I", value) + data[pos + 4 :]


GOOD = sample_bytes()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (GOOD[:10], "truncated BTF header (10 bytes)"),
        (_with_header(GOOD, magic=0x1234), "bad BTF magic 0x1234"),
        (_with_header(GOOD, version=2), "unsupported BTF version 2"),
        (_with_header(GOOD, flags=1), "unsupported BTF flags 0x1"),
        (_with_header(GOOD, hdr_len=8), "bad BTF header length 8"),
        (_with_header(GOOD, type_off=2), "type section offset 0x2 not 4-byte aligned"),
        (_with_header(GOOD, type_len=6), "type section length 6 not a multiple of 4"),
        (_with_header(GOOD, str_len=1 << 20), "string section extends beyond the end of data"),
        (_with_header(GOOD, str_off=0), "type and string sections overlap"),
        (GOOD[:-1], "string section extends beyond the end of data"),
    ],
)
def test_header_problems(data: bytes, problem: str) -> None:
    with pytest.raises(BtfError) as err:
        Btf.parse(data, "bad.btf")
    assert err.value.problem == problem
    assert err.value.path is None  # named by the reader of the file (``load_btf``)


def test_truncated_type_section() -> None:
    hdr = HDR.unpack_from(GOOD)
    type_len = hdr[5]
    # Cut the last record (an 8-word STRUCT with 2 members) short.
    cut = _with_header(GOOD, type_len=type_len - 4)
    cut = cut[: 24 + type_len - 4] + GOOD[24 + type_len :]
    cut = _with_header(cut, str_off=type_len - 4)
    with pytest.raises(BtfError, match="truncated type section at type 27$"):
        Btf.parse(cut)
    # Cut inside the common header of the next type.
    btf = Btf.parse(GOOD)
    start_27 = 4 * btf.type_offsets()[26]
    cut = GOOD[: 24 + start_27 + 4] + GOOD[24 + type_len :]
    cut = _with_header(cut, type_len=start_27 + 4, str_off=start_27 + 4)
    with pytest.raises(BtfError, match="truncated type section at type 27$"):
        Btf.parse(cut)


def test_unknown_kind_and_unused_bits() -> None:
    pos = _type_word(GOOD, 3, 1)  # PTR's info word
    with pytest.raises(BtfError, match="type 3: unknown kind 25$"):
        Btf.parse(_patch_u32(GOOD, pos, 25 << 24))
    with pytest.raises(BtfError, match="type 3: unknown kind 0$"):
        Btf.parse(_patch_u32(GOOD, pos, 0))
    with pytest.raises(BtfError, match="type 3: unused bits set in info 0x2010000"):
        Btf.parse(_patch_u32(GOOD, pos, (2 << 24) | (1 << 16)))
    with pytest.raises(BtfError, match="type 3: PTR with vlen 1$"):
        Btf.parse(_patch_u32(GOOD, pos, (2 << 24) | 1))


def test_out_of_range_references() -> None:
    with pytest.raises(BtfError, match="type 3: referenced type id 999 out of range"):
        Btf.parse(_patch_u32(GOOD, _type_word(GOOD, 3, 2), 999))
    with pytest.raises(BtfError, match=r"type 3: string offset 0x10000 out of range"):
        Btf.parse(_patch_u32(GOOD, _type_word(GOOD, 3, 0), 0x10000))
    # A member's type (STRUCT 'pair', member 2's type word).
    with pytest.raises(BtfError, match="type 5: referenced type id 77 out of range"):
        Btf.parse(_patch_u32(GOOD, _type_word(GOOD, 5, 3 + 3 + 1), 77))
    # A member's name.
    with pytest.raises(BtfError, match="type 5: string offset 0xffff out of range"):
        Btf.parse(_patch_u32(GOOD, _type_word(GOOD, 5, 3), 0xFFFF))
    # ARRAY element type, DATASEC variable, FUNC_PROTO parameter.
    with pytest.raises(BtfError, match="type 7: referenced type id 500 out of range"):
        Btf.parse(_patch_u32(GOOD, _type_word(GOOD, 7, 3), 500))
    with pytest.raises(BtfError, match="type 20: referenced type id 500 out of range"):
        Btf.parse(_patch_u32(GOOD, _type_word(GOOD, 20, 3), 500))
    with pytest.raises(BtfError, match="type 14: referenced type id 500 out of range"):
        Btf.parse(_patch_u32(GOOD, _type_word(GOOD, 14, 4), 500))


def test_bad_strings() -> None:
    with pytest.raises(BtfError, match="string section is not NUL-terminated"):
        Btf.parse(GOOD[:-1] + b"x")
    hdr = HDR.unpack_from(GOOD)
    with pytest.raises(BtfError, match="string section does not start with an empty string"):
        Btf.parse(GOOD[: 24 + hdr[6]] + b"x" + GOOD[24 + hdr[6] + 1 :])


def test_modifier_loop_is_an_error() -> None:
    loop = _patch_u32(GOOD, _type_word(GOOD, 4, 2), 12)  # CONST -> VOLATILE -> TYPEDEF -> CONST
    btf = Btf.parse(loop)
    with pytest.raises(BtfError, match="looping"):
        btf.resolve(12)
    with pytest.raises(BtfError, match="looping"):
        btf.size_of(12)


# ---- .BTF.ext ----


def _ext(sections: list[tuple[str, int, bytes]], btf: Btf, strings: dict[str, int]) -> bytes:
    """A .BTF.ext with a func_info subsection (record size 8) only."""
    body = struct.pack("<I", 8)
    for name, count, records in sections:
        body += struct.pack("<II", strings[name], count) + records
    return struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(body), len(body), 0) + body


def test_ext_problems(allkinds: Btf, allkinds_sections: tuple[bytes, bytes]) -> None:
    raw = allkinds_sections[1]
    good = BtfExt.parse(raw, allkinds)
    assert good.func_info
    cases = [
        (raw[:5], "truncated .BTF.ext header (5 bytes)"),
        (b"\x00\x00" + raw[2:], "bad .BTF.ext magic 0x0000"),
        (raw[:2] + b"\x02" + raw[3:], "unsupported .BTF.ext version 2"),
        (raw[:3] + b"\x01" + raw[4:], "unsupported .BTF.ext flags 0x1"),
        (raw[: len(raw) // 2], None),
    ]
    for data, problem in cases:
        with pytest.raises(BtfError) as err:
            BtfExt.parse(data, allkinds)
        if problem is not None:
            assert err.value.problem == problem
    # Record size below the minimum, wrong count, bad type id.
    hdr_len = struct.unpack_from("<I", raw, 4)[0]
    func_off = struct.unpack_from("<I", raw, 8)[0]
    rec = hdr_len + func_off
    bad = raw[:rec] + struct.pack("<I", 4) + raw[rec + 4 :]
    with pytest.raises(BtfError, match="func_info has invalid record size 4"):
        BtfExt.parse(bad, allkinds)
    bad = raw[: rec + 8] + struct.pack("<I", 1000) + raw[rec + 12 :]
    with pytest.raises(BtfError, match="bad record count 1000"):
        BtfExt.parse(bad, allkinds)
    bad = raw[: rec + 16] + struct.pack("<I", 9999) + raw[rec + 20 :]
    with pytest.raises(BtfError, match="func_info type id 9999 out of range"):
        BtfExt.parse(bad, allkinds)
    bad = raw[: rec + 16] + struct.pack("<I", 1) + raw[rec + 20 :]
    with pytest.raises(BtfError, match="func_info type id 1 is not a FUNC"):
        BtfExt.parse(bad, allkinds)
    bad = raw[: rec + 12] + struct.pack("<I", 3) + raw[rec + 16 :]
    with pytest.raises(BtfError, match="func_info insn_off 3 not a multiple of 8"):
        BtfExt.parse(bad, allkinds)


# ---- fuzzing: a Btf or a BtfError, nothing else ----


def _parse_all(data: bytes) -> None:
    try:
        btf = Btf.parse(data, "fuzz")
    except BtfError:
        return
    for t in btf.types():  # decoding and rendering of a parsed Btf must not fail either
        dump_type(btf, t)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_random_bytes(data: bytes) -> None:
    _parse_all(data)


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_random_bytes_behind_a_valid_header(body: bytes) -> None:
    split = len(body) // 2 // 4 * 4
    header = HDR.pack(0xEB9F, 1, 0, 24, 0, split, split, len(body) - split)
    _parse_all(header + body)


@FUZZ
@given(st.data())
def test_fuzz_mutated_sample(data: st.DataObject) -> None:
    raw = bytearray(GOOD)
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    _parse_all(bytes(raw[:cut]) if data.draw(st.booleans()) else bytes(raw))


@FUZZ
@given(data=st.data())
def test_fuzz_mutated_program_btf(
    allkinds_sections: tuple[bytes, bytes], data: st.DataObject
) -> None:
    raw = bytearray(allkinds_sections[0])
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    _parse_all(bytes(raw[: data.draw(st.integers(0, len(raw)))]))


@FUZZ
@given(data=st.data())
def test_fuzz_mutated_ext(
    allkinds: Btf, allkinds_sections: tuple[bytes, bytes], data: st.DataObject
) -> None:
    raw = bytearray(allkinds_sections[1])
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    try:
        BtfExt.parse(bytes(raw[:cut]), allkinds)
    except BtfError:
        pass


@FUZZ
@given(data=st.data())
def test_fuzz_mutated_vmlinux_prefix(vmlinux: Btf, vmlinux_bytes: bytes,
                                     data: st.DataObject) -> None:
    """Mutations of real kernel BTF (its first 1000 types only, to stay fast)."""
    hdr = HDR.unpack_from(vmlinux_bytes)
    type_bytes = 4 * vmlinux.type_offsets()[1000]
    strs = vmlinux_bytes[24 + hdr[6] : 24 + hdr[6] + hdr[7]]
    types = bytearray(vmlinux_bytes[24 : 24 + type_bytes])
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(types) - 1))
        types[pos] = data.draw(st.integers(0, 255))
    blob = HDR.pack(0xEB9F, 1, 0, 24, 0, type_bytes, type_bytes, len(strs)) + types + strs
    _parse_all(blob)

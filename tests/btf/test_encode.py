"""Encoder: byte-exact round trips of real BTF, and generated records round-trip."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from kfcheck.btf.encode import StringTable, encode_btf
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import BtfType, EnumValue, Kind, Member, Param, VarSecinfo


def test_vmlinux_round_trip_is_byte_exact(vmlinux: Btf, vmlinux_bytes: bytes) -> None:
    encoded = vmlinux.to_bytes()
    assert encoded == vmlinux_bytes
    again = Btf.parse(encoded, "again")
    assert len(again) == len(vmlinux)
    for type_id in range(1, len(vmlinux), 97):  # a spread sample; bytes equality covers all
        assert again[type_id] == vmlinux[type_id]


def test_program_btf_round_trip(allkinds: Btf, allkinds_sections: tuple[bytes, bytes]) -> None:
    assert allkinds.to_bytes() == allkinds_sections[0]
    assert list(Btf.parse(allkinds.to_bytes()).types()) == list(allkinds.types())


def test_modified_copy_for_the_linker(allkinds: Btf) -> None:
    """Change extern FUNC linkage to static and fill DATASEC sizes, as a linker would."""
    types = list(allkinds.types())
    fixed = []
    for t in types:
        if t.kind is Kind.FUNC and t.linkage == 2:
            t = dataclasses.replace(t, linkage=0)
        if t.kind is Kind.DATASEC and t.name == ".data":
            t = dataclasses.replace(t, size=4)
        fixed.append(t)
    copy = Btf.from_types(fixed, allkinds.raw_strings, "fixed")
    assert [t.linkage for t in copy.types() if t.kind is Kind.FUNC and
            t.name.startswith("bpf_task")] == [0, 0]
    assert copy.by_name(".data", Kind.DATASEC)[0].size == 4
    # Strings are reused, so nothing new is appended.
    assert copy.raw_strings == allkinds.raw_strings


def test_string_table_dedups_and_appends() -> None:
    table = StringTable(b"\0a\0bc\0")
    assert table.add("") == 0
    assert table.add("bc") == 3
    assert table.add("new") == 6
    assert table.add("new") == 6
    assert table.to_bytes() == b"\0a\0bc\0new\0"


# ---- generated records ----

u32 = st.integers(0, 0xFFFFFFFF)
names = st.sampled_from(["", "a", "b", "task_struct", "x" * 40, "ünï"])


def _enum_values(draw: st.DrawFn, vals: st.SearchStrategy[int]) -> tuple[EnumValue, ...]:
    return tuple(EnumValue(draw(names), draw(vals)) for _ in range(draw(st.integers(0, 3))))


@st.composite
def btf_types(draw: st.DrawFn) -> list[BtfType]:
    n = draw(st.integers(1, 25))
    ref = st.integers(0, n)
    out: list[BtfType] = []
    for type_id in range(1, n + 1):
        kind = draw(st.sampled_from([k for k in Kind if k is not Kind.UNKN]))
        name = draw(names)
        kflag = draw(st.booleans())
        t: BtfType
        if kind is Kind.INT:
            t = BtfType(type_id, kind, name, size=draw(st.sampled_from([1, 2, 4, 8, 16])),
                        kflag=kflag, int_encoding=draw(st.sampled_from([0, 1, 2, 4])),
                        int_offset=draw(st.integers(0, 255)), int_bits=draw(st.integers(0, 128)))
        elif kind in (Kind.STRUCT, Kind.UNION):
            members = tuple(
                Member(draw(names), draw(ref),
                       draw(st.integers(0, 0xFFFFFF)) if kflag else draw(u32),
                       draw(st.integers(0, 255)) if kflag else 0)
                for _ in range(draw(st.integers(0, 4)))
            )
            t = BtfType(type_id, kind, name, size=draw(u32), kflag=kflag, members=members)
        elif kind is Kind.ENUM:
            vals = st.integers(-(1 << 31), (1 << 31) - 1) if kflag else u32
            values = _enum_values(draw, vals)
            t = BtfType(type_id, kind, name, size=4, kflag=kflag, values=values)
        elif kind is Kind.ENUM64:
            vals = st.integers(-(1 << 63), (1 << 63) - 1) if kflag else st.integers(0, 2**64 - 1)
            values = _enum_values(draw, vals)
            t = BtfType(type_id, kind, name, size=8, kflag=kflag, values=values)
        elif kind is Kind.ARRAY:
            t = BtfType(type_id, kind, name, kflag=kflag, elem_type=draw(ref),
                        index_type=draw(ref), nelems=draw(u32))
        elif kind is Kind.FUNC_PROTO:
            params = tuple(Param(draw(names), draw(ref)) for _ in range(draw(st.integers(0, 4))))
            t = BtfType(type_id, kind, name, type=draw(ref), kflag=kflag, params=params)
        elif kind is Kind.FUNC:
            t = BtfType(type_id, kind, name, type=draw(ref), kflag=kflag,
                        linkage=draw(st.integers(0, 2)))
        elif kind is Kind.VAR:
            t = BtfType(type_id, kind, name, type=draw(ref), kflag=kflag, linkage=draw(u32))
        elif kind is Kind.DATASEC:
            infos = tuple(VarSecinfo(draw(ref), draw(u32), draw(u32))
                          for _ in range(draw(st.integers(0, 3))))
            t = BtfType(type_id, kind, name, size=draw(u32), kflag=kflag, secinfos=infos)
        elif kind is Kind.DECL_TAG:
            t = BtfType(type_id, kind, name, type=draw(ref), kflag=kflag,
                        component_idx=draw(st.integers(-1, 1000)))
        elif kind is Kind.FLOAT:
            t = BtfType(type_id, kind, name, size=draw(st.sampled_from([2, 4, 8, 12, 16])),
                        kflag=kflag)
        elif kind is Kind.FWD:
            t = BtfType(type_id, kind, name, kflag=kflag)
        else:
            t = BtfType(type_id, kind, name, type=draw(ref), kflag=kflag)
        out.append(t)
    return out


@settings(max_examples=300, deadline=None)
@given(btf_types(), st.sampled_from(["little", "big"]))
def test_generated_types_round_trip(types: list[BtfType], byteorder: str) -> None:
    raw = encode_btf(types, byteorder="big" if byteorder == "big" else "little")
    btf = Btf.parse(raw, "gen")
    assert list(btf.types()) == types
    assert btf.to_bytes() == raw

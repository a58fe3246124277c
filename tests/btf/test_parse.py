"""Parser and navigation tests on hand-built BTF and on the live vmlinux BTF."""

from __future__ import annotations

import struct

import pytest
from btf_sample import SAMPLE_TYPES, sample_bytes, split_sample

from kfcheck.btf.layout import members_at
from kfcheck.btf.parse import VOID, Btf
from kfcheck.btf.types import BtfType, Kind, Member
from kfcheck.errors import BtfError


def test_decodes_hand_packed_bytes() -> None:
    """Independent of the encoder: one INT and one PTR packed by hand."""
    strings = b"\0int\0"
    types = struct.pack("<III I", 1, (1 << 24), 4, (1 << 24) | 32) + struct.pack(
        "<III", 0, 2 << 24, 1
    )
    header = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types), len(types), len(strings))
    btf = Btf.parse(header + types + strings, "hand")
    assert len(btf) == 3
    assert btf[1] == BtfType(1, Kind.INT, "int", size=4, int_encoding=1, int_bits=32)
    assert btf[2] == BtfType(2, Kind.PTR, type=1)
    assert btf[0] is VOID


@pytest.mark.parametrize("byteorder", ["little", "big"])
def test_every_kind_round_trips(byteorder: str) -> None:
    btf = Btf.parse(sample_bytes(byteorder), "sample")
    assert btf.byteorder == byteorder
    assert list(btf.types()) == SAMPLE_TYPES
    assert btf.to_bytes() == sample_bytes(byteorder)
    assert len(btf) == len(SAMPLE_TYPES) + 1
    assert btf.start_id == 1 and btf.base is None


def test_signed_values() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    assert [v.value for v in btf[8].values] == [-1, 5]
    assert [v.value for v in btf[9].values] == [1 << 63, 1]  # unsigned ENUM64
    assert btf[18].component_idx == 0 and btf[16].component_idx == -1


def test_by_name_and_kind() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    assert [t.id for t in btf.by_name("pair")] == [5]
    assert btf.by_name("pair", Kind.UNION) == []
    assert [t.id for t in btf.by_name("my_kfunc", Kind.FUNC)] == [15]
    assert btf.by_name("nope") == []
    assert btf.by_name("") == []  # anonymous types are not indexed


def test_modifiers_resolve_and_sizes() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    assert btf.skip_modifiers(12) == 11  # VOLATILE -> TYPEDEF stops
    assert btf.resolve(12) == 1  # VOLATILE -> TYPEDEF -> CONST -> INT
    assert btf.skip_modifiers(22) == 5  # TYPE_TAG
    assert btf.size_of(12) == 4
    assert btf.size_of(3) == 8
    assert btf.size_of(7) == 8
    assert btf.size_of(26) == 32
    assert btf.size_of(19) == 16  # VAR follows its type
    for no_size in (10, 14, 15, 0):
        with pytest.raises(BtfError, match="has no size"):
            btf.size_of(no_size)


def test_type_str_like_the_kernel() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    assert btf.type_str(5) == "STRUCT pair"
    assert btf.type_str(6) == "UNION "
    assert btf.type_str(3) == "PTR "
    assert btf.type_str(0) == "UNKNOWN "
    assert btf.type_str(9) == "ENUM64 e64"


def test_decl_tags_kfuncs_fastcall() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    assert btf.decl_tags(15) == ["bpf_kfunc", "bpf_fastcall"]
    assert btf.decl_tags(15, 0) == ["arg_tag"]
    assert btf.decl_tags(5) == []
    assert [t.name for t in btf.kfuncs()] == ["my_kfunc"]
    assert btf.fastcall(15) and not btf.fastcall(5)


def test_members_at_nested_bitfields_arrays() -> None:
    btf = Btf.parse(sample_bytes(), "sample")

    def paths(type_id: int, off: int) -> list[tuple[str, str, int]]:
        return [(p, m.name, o) for p, m, o in members_at(btf, type_id, off)]

    assert paths(5, 0) == [("a", "a", 0)]
    assert paths(5, 3) == [("a", "a", 3)]
    assert paths(5, 4) == [("b", "b", 0), ("c", "c", 0)]  # bits 32..34 and 35..39
    assert paths(5, 5) == []  # padding
    assert paths(5, 8) == [("x", "x", 0), ("y[0]", "y", 0)]  # anonymous union adds no name
    assert paths(5, 13) == [("y[5]", "y", 5)]
    assert paths(27, 0) == [("hdr", "hdr", 0)]
    assert paths(27, 8 + 16 + 4) == [("pairs[1].b", "b", 0), ("pairs[1].c", "c", 0)]
    assert paths(27, 8 + 16 + 9) == [("pairs[1].x", "x", 1), ("pairs[1].y[1]", "y", 1)]
    assert paths(27, 40) == [] and paths(27, -1) == []
    with pytest.raises(BtfError, match="is not a struct or union"):
        members_at(btf, 1, 0)


def test_unknown_id_raises() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    with pytest.raises(BtfError, match="type id 999 out of range"):
        btf[999]
    with pytest.raises(BtfError, match="out of range"):
        btf[-1]


def test_split_btf_ids_and_strings() -> None:
    base = Btf.parse(sample_bytes(), "base")
    raw = split_sample(base)
    split = Btf.parse(raw, "mod", base=base)
    n = len(base)
    assert split.start_id == n and len(split) == n + 7
    assert split.start_str_off == len(base.raw_strings)
    assert split[5] is base[5]
    assert split[n].members[0] == Member("pair_ptr", 3, 0)
    assert [t.id for t in split.by_name("pair")] == [5, n + 5]
    assert [t.id for t in split.kfuncs()] == [n + 3]
    assert split.decl_tags(5) == ["mod_tag"]
    assert b"pair\0" not in split.raw_strings  # the base's string is referenced
    assert split.to_bytes() == raw
    assert [t.id for t in split.types()] == list(range(n, n + 7))


def test_split_needs_its_base() -> None:
    base = Btf.parse(sample_bytes(), "base")
    raw = split_sample(base)
    with pytest.raises(BtfError):
        Btf.parse(raw, "mod")  # ids/strings point past its own sections


def test_vmlinux_basics(vmlinux: Btf) -> None:
    task = vmlinux.by_name("task_struct", Kind.STRUCT)
    assert len(task) == 1
    assert vmlinux.type_str(task[0].id) == "STRUCT task_struct"
    assert vmlinux.size_of(task[0].id) == task[0].size
    assert vmlinux[1].kind is Kind.INT
    kfuncs = {t.name for t in vmlinux.kfuncs()}
    assert {"bpf_task_acquire", "bpf_task_release", "bpf_obj_new_impl"} <= kfuncs
    cast = vmlinux.by_name("bpf_cast_to_kern_ctx", Kind.FUNC)[0]
    assert vmlinux.fastcall(cast.id)
    comm = [m for m in task[0].members if m.name == "comm"][0]
    found = members_at(vmlinux, task[0].id, comm.bit_offset // 8 + 5)
    assert [(p, o) for p, _, o in found] == [("comm[5]", 5)]


def test_kind_of_and_type_name() -> None:
    btf = Btf.parse(sample_bytes(), "sample")
    assert btf.kind_of(5) is Kind.STRUCT and btf.kind_of(0) is Kind.UNKN
    assert btf.type_name(5) == "pair" and btf.type_name(6) == ""
    with pytest.raises(BtfError, match="type id 100 out of range"):
        btf.kind_of(100)

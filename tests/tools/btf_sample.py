"""A small BTF covering every kind, built from records (shared by the BTF tests)."""

from __future__ import annotations

from kfcheck.btf.encode import encode_btf
from kfcheck.btf.parse import Btf
from kfcheck.btf.types import (
    INT_BOOL,
    INT_CHAR,
    INT_SIGNED,
    LINKAGE_GLOBAL,
    BtfType,
    EnumValue,
    Kind,
    Member,
    Param,
    VarSecinfo,
)

T = BtfType

SAMPLE_TYPES: list[BtfType] = [
    T(1, Kind.INT, "int", size=4, int_encoding=INT_SIGNED, int_bits=32),
    T(2, Kind.INT, "unsigned char", size=1, int_bits=8),
    T(3, Kind.PTR, type=5),
    T(4, Kind.CONST, type=1),
    T(5, Kind.STRUCT, "pair", size=16, kflag=True, members=(
        Member("a", 1, 0),
        Member("b", 1, 32, 3),
        Member("c", 1, 35, 5),
        Member("", 6, 64),
    )),
    T(6, Kind.UNION, "", size=8, members=(Member("x", 1, 0), Member("y", 7, 0))),
    T(7, Kind.ARRAY, elem_type=2, index_type=1, nelems=8),
    T(8, Kind.ENUM, "e", size=4, kflag=True, values=(EnumValue("NEG", -1), EnumValue("POS", 5))),
    T(9, Kind.ENUM64, "e64", size=8, values=(EnumValue("BIG", 1 << 63), EnumValue("ONE", 1))),
    T(10, Kind.FWD, "fw", kflag=True),
    T(11, Kind.TYPEDEF, "myint", type=4),
    T(12, Kind.VOLATILE, type=11),
    T(13, Kind.RESTRICT, type=3),
    T(14, Kind.FUNC_PROTO, type=3, params=(Param("p", 3), Param("n", 11), Param("", 0))),
    T(15, Kind.FUNC, "my_kfunc", type=14, linkage=LINKAGE_GLOBAL),
    T(16, Kind.DECL_TAG, "bpf_kfunc", type=15, component_idx=-1),
    T(17, Kind.DECL_TAG, "bpf_fastcall", type=15, component_idx=-1),
    T(18, Kind.DECL_TAG, "arg_tag", type=15, component_idx=0),
    T(19, Kind.VAR, "v", type=5, linkage=LINKAGE_GLOBAL),
    T(20, Kind.DATASEC, ".data", size=16, secinfos=(VarSecinfo(19, 0, 16),)),
    T(21, Kind.FLOAT, "double", size=8),
    T(22, Kind.TYPE_TAG, "rcu", type=5),
    T(23, Kind.PTR, type=22),
    T(24, Kind.INT, "char", size=1, int_encoding=INT_CHAR, int_bits=8),
    T(25, Kind.INT, "_Bool", size=1, int_encoding=INT_BOOL, int_bits=8),
    T(26, Kind.ARRAY, elem_type=5, index_type=1, nelems=2),
    T(27, Kind.STRUCT, "outer", size=40, members=(Member("hdr", 12, 0), Member("pairs", 26, 64))),
]


def sample_bytes(byteorder: str = "little") -> bytes:
    """SAMPLE_TYPES encoded as raw BTF."""
    return encode_btf(SAMPLE_TYPES, byteorder="big" if byteorder == "big" else "little")


def split_sample(base: Btf) -> bytes:
    """Split BTF over ``base``: new types, a reused base string, a tag on a base type."""
    n = len(base)
    types = [
        BtfType(n, Kind.STRUCT, "mod_struct", size=8, members=(Member("pair_ptr", 3, 0),)),
        BtfType(n + 1, Kind.PTR, type=n),
        BtfType(n + 2, Kind.FUNC_PROTO, type=1, params=()),
        BtfType(n + 3, Kind.FUNC, "mod_kfunc", type=n + 2, linkage=1),
        BtfType(n + 4, Kind.DECL_TAG, "bpf_kfunc", type=n + 3),
        BtfType(n + 5, Kind.TYPEDEF, "pair", type=5),  # reuses a base string
        BtfType(n + 6, Kind.DECL_TAG, "mod_tag", type=5),  # tags a base type
    ]
    return encode_btf(types, base=base)

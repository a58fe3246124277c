"""The BTF data model: one frozen record per type, kinds as an enum.

Shared contract between the parser (``kfcheck.btf.parse``) and its users (objects, linker,
verifier, kfunc table). Type id 0 is ``void`` and has no record.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

# The BTF header (struct btf_header): magic, version, flags, hdr_len, type_off, type_len,
# str_off, str_len; the magic reads 0xEB9F in the data's own byte order.
BTF_MAGIC = 0xEB9F
BTF_VERSION = 1
HEADER = struct.Struct("<HBBIIIII")
HEADER_BE = struct.Struct(">HBBIIIII")
HEADER_SIZE = HEADER.size  # 24


class Kind(IntEnum):
    """BTF_KIND_* values."""

    UNKN = 0
    INT = 1
    PTR = 2
    ARRAY = 3
    STRUCT = 4
    UNION = 5
    ENUM = 6
    FWD = 7
    TYPEDEF = 8
    VOLATILE = 9
    CONST = 10
    RESTRICT = 11
    FUNC = 12
    FUNC_PROTO = 13
    VAR = 14
    DATASEC = 15
    FLOAT = 16
    DECL_TAG = 17
    TYPE_TAG = 18
    ENUM64 = 19


# INT encoding bits (BTF_INT_*).
INT_SIGNED = 1
INT_CHAR = 2
INT_BOOL = 4

# FUNC linkage / VAR linkage.
LINKAGE_STATIC = 0
LINKAGE_GLOBAL = 1
LINKAGE_EXTERN = 2


@dataclass(frozen=True, slots=True)
class Member:
    """A STRUCT/UNION member; ``bit_offset`` from the start of the aggregate."""

    name: str
    type: int
    bit_offset: int
    bitfield_size: int = 0


@dataclass(frozen=True, slots=True)
class EnumValue:
    """An ENUM or ENUM64 enumerator (value already sign-adjusted per the type's kflag)."""

    name: str
    value: int


@dataclass(frozen=True, slots=True)
class Param:
    """A FUNC_PROTO parameter; ``type == 0`` with an empty name marks varargs."""

    name: str
    type: int


@dataclass(frozen=True, slots=True)
class VarSecinfo:
    """A DATASEC entry: a VAR or FUNC placed at ``offset`` with ``size`` bytes."""

    type: int
    offset: int
    size: int


@dataclass(frozen=True, slots=True)
class BtfType:
    """One BTF type.

    Field use by kind:
      INT: size, int_encoding, int_offset, int_bits.  PTR/TYPEDEF/VOLATILE/CONST/RESTRICT/
      TYPE_TAG/FUNC/VAR/DECL_TAG: type (FUNC: its FUNC_PROTO; FUNC/VAR: linkage).
      ARRAY: elem_type, index_type, nelems.  STRUCT/UNION: size, members, kflag.
      ENUM/ENUM64: size, values, kflag (signed).  FWD: kflag (1 = union).
      FUNC_PROTO: type (return), params.  DATASEC: size, secinfos.  FLOAT: size.
      DECL_TAG: type (target), component_idx (-1 = the target itself).
    """

    id: int
    kind: Kind
    name: str = ""
    size: int = 0
    type: int = 0
    kflag: bool = False
    linkage: int = 0
    int_encoding: int = 0
    int_offset: int = 0
    int_bits: int = 0
    elem_type: int = 0
    index_type: int = 0
    nelems: int = 0
    component_idx: int = -1
    members: tuple[Member, ...] = ()
    values: tuple[EnumValue, ...] = ()
    params: tuple[Param, ...] = ()
    secinfos: tuple[VarSecinfo, ...] = ()

    @property
    def vlen(self) -> int:
        """Number of variable-length entries, as in the raw header."""
        return len(self.members) + len(self.values) + len(self.params) + len(self.secinfos)

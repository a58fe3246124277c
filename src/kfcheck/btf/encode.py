"""BTF encoding: ``BtfType`` records back to raw BTF bytes.

Strings are deduplicated; an initial string section can be passed to keep its offsets (so an
unmodified parse re-encodes byte for byte). For split BTF, strings already in the base are
referenced there, and own offsets continue after the base's string section, as libbpf does.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from typing import Literal, Protocol

from kfcheck.btf.types import (
    BTF_MAGIC,
    BTF_VERSION,
    HEADER,
    HEADER_BE,
    HEADER_SIZE,
    BtfType,
    Kind,
)


class BaseStrings(Protocol):
    """What split BTF's string table needs of its base (``Btf`` provides it)."""

    @property
    def base(self) -> BaseStrings | None: ...

    @property
    def start_str_off(self) -> int: ...

    @property
    def str_end(self) -> int: ...

    @property
    def raw_strings(self) -> bytes: ...

    def __len__(self) -> int: ...


class StringTable:
    """A deduplicating BTF string section; offsets may start after a base's strings."""

    def __init__(self, initial: bytes = b"\0", base: BaseStrings | None = None) -> None:
        if not initial or initial[-1] != 0:
            initial = initial + b"\0"
        self._base = base
        self._start = base.str_end if base is not None else 0
        self._parts: list[bytes] = [initial]
        self._size = len(initial)
        self._offsets: dict[str, int] = {}
        off = 0
        for piece in initial[:-1].split(b"\0"):
            self._offsets.setdefault(piece.decode("utf-8", errors="surrogateescape"), off)
            off += len(piece) + 1
        self._base_index: dict[str, int] | None = None

    def add(self, text: str) -> int:
        """Offset of ``text``, appending it if new ("" is always offset 0)."""
        if not text:
            return 0
        off = self._offsets.get(text)
        if off is not None:
            return self._start + off
        if self._base is not None:
            base_off = self._base_offsets().get(text)
            if base_off is not None:
                return base_off
        off = self._offsets[text] = self._size
        raw = text.encode("utf-8", errors="surrogateescape") + b"\0"
        self._parts.append(raw)
        self._size += len(raw)
        return self._start + off

    def _base_offsets(self) -> dict[str, int]:
        if self._base_index is None:
            index: dict[str, int] = {}
            btf: BaseStrings | None = self._base
            while btf is not None:
                start, off = btf.start_str_off, 0
                for piece in btf.raw_strings[:-1].split(b"\0"):
                    index.setdefault(piece.decode("utf-8", errors="surrogateescape"), start + off)
                    off += len(piece) + 1
                btf = btf.base
            self._base_index = index
        return self._base_index

    def to_bytes(self) -> bytes:
        """The string section."""
        return b"".join(self._parts)


def encode_btf(
    types: Iterable[BtfType],
    *,
    strings: bytes = b"\0",
    base: BaseStrings | None = None,
    byteorder: Literal["little", "big"] = "little",
) -> bytes:
    """Encode records (ids consecutive from the first free id) as raw BTF.

    ``strings`` seeds the string section (its offsets are kept); ``base`` makes split BTF.
    Raises ``ValueError`` for records that cannot be encoded (a programming error).
    """
    table = StringTable(strings, base)
    words: array[int] = array("I")
    next_id = len(base) if base is not None else 1
    for t in types:
        if t.id != next_id:
            raise ValueError(f"type ids must be consecutive: expected {next_id}, got {t.id}")
        next_id += 1
        _encode_type(t, table, words)
    if (byteorder == "little") != (sys.byteorder == "little"):
        words.byteswap()
    type_bytes = words.tobytes()
    str_bytes = table.to_bytes()
    header = (HEADER if byteorder == "little" else HEADER_BE).pack(
        BTF_MAGIC, BTF_VERSION, 0, HEADER_SIZE, 0, len(type_bytes), len(type_bytes),
        len(str_bytes))
    return header + type_bytes + str_bytes


def _info(kind: Kind, vlen: int, kflag: bool) -> int:
    if not 0 <= vlen <= 0xFFFF:
        raise ValueError(f"vlen {vlen} does not fit in 16 bits")
    return (int(kflag) << 31) | (int(kind) << 24) | vlen


def _u32(v: int) -> int:
    return v & 0xFFFFFFFF


def _encode_type(t: BtfType, table: StringTable, out: array[int]) -> None:
    kind = t.kind
    name = table.add(t.name)
    if kind is Kind.INT:
        out.extend((name, _info(kind, 0, t.kflag), t.size,
                    (t.int_encoding << 24) | (t.int_offset << 16) | t.int_bits))
    elif kind in (Kind.STRUCT, Kind.UNION):
        out.extend((name, _info(kind, len(t.members), t.kflag), t.size))
        for m in t.members:
            offset = (m.bitfield_size << 24) | m.bit_offset if t.kflag else m.bit_offset
            out.extend((table.add(m.name), m.type, offset))
    elif kind is Kind.ENUM:
        out.extend((name, _info(kind, len(t.values), t.kflag), t.size))
        for v in t.values:
            out.extend((table.add(v.name), _u32(v.value)))
    elif kind is Kind.ENUM64:
        out.extend((name, _info(kind, len(t.values), t.kflag), t.size))
        for v in t.values:
            raw = v.value & 0xFFFFFFFFFFFFFFFF
            out.extend((table.add(v.name), raw & 0xFFFFFFFF, raw >> 32))
    elif kind is Kind.ARRAY:
        out.extend((name, _info(kind, 0, t.kflag), 0, t.elem_type, t.index_type, t.nelems))
    elif kind is Kind.FUNC_PROTO:
        out.extend((name, _info(kind, len(t.params), t.kflag), t.type))
        for p in t.params:
            out.extend((table.add(p.name), p.type))
    elif kind is Kind.FUNC:
        out.extend((name, _info(kind, t.linkage, t.kflag), t.type))
    elif kind is Kind.VAR:
        out.extend((name, _info(kind, 0, t.kflag), t.type, t.linkage))
    elif kind is Kind.DATASEC:
        out.extend((name, _info(kind, len(t.secinfos), t.kflag), t.size))
        for s in t.secinfos:
            out.extend((s.type, s.offset, s.size))
    elif kind is Kind.DECL_TAG:
        out.extend((name, _info(kind, 0, t.kflag), t.type, _u32(t.component_idx)))
    elif kind is Kind.FLOAT:
        out.extend((name, _info(kind, 0, t.kflag), t.size))
    elif kind is Kind.FWD:
        out.extend((name, _info(kind, 0, t.kflag), 0))
    elif kind in (Kind.PTR, Kind.TYPEDEF, Kind.VOLATILE, Kind.CONST, Kind.RESTRICT,
                  Kind.TYPE_TAG):
        out.extend((name, _info(kind, 0, t.kflag), t.type))
    else:
        raise ValueError(f"cannot encode kind {kind.name}")

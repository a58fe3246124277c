"""Raw BTF parsing: a validating index pass, lazy record decoding, type navigation.

Design: ``Btf.parse`` reads the type section once as an array of u32 words, records where each
type starts (its length follows from kind and vlen) and validates every record on the way
(kinds, unused bits, string offsets, referenced type ids). ``BtfType`` records are decoded on
first access and kept; the name index and the decl-tag index are built on first use.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from typing import Literal

from kfcheck.btf.encode import encode_btf
from kfcheck.btf.types import (
    BTF_MAGIC,
    BTF_VERSION,
    HEADER,
    HEADER_BE,
    HEADER_SIZE,
    BtfType,
    EnumValue,
    Kind,
    Member,
    Param,
    VarSecinfo,
)
from kfcheck.errors import BtfError

MAX_KIND = max(Kind)
PTR_SIZE = 8  # BPF target pointers
MAX_RESOLVE_DEPTH = 32

# Words after the 3-word common header: fixed extra words, and words per vlen entry.
EXTRA_WORDS: tuple[int, ...] = (0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0)
VLEN_WORDS: tuple[int, ...] = (0, 0, 0, 0, 3, 3, 2, 0, 0, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0, 3)

MODIFIER_KINDS = frozenset({Kind.VOLATILE, Kind.CONST, Kind.RESTRICT, Kind.TYPE_TAG})
_INT_DATA_MASK = 0x0FFF00FF  # encoding (4 bits), offset (8 bits), bits (8 bits)
_INFO_UNUSED = 0x60FF0000  # bits 16-23 and 29-30 of the info word

KFUNC_TAG = "bpf_kfunc"
FASTCALL_TAG = "bpf_fastcall"
CONTAINS_TAG = "contains:"  # graph roots: contains:<node type>:<node field>

# Kernel's btf_kind_str[] (kernel/bpf/btf.c), also bpftool's.
KIND_STR: dict[Kind, str] = {k: ("UNKNOWN" if k is Kind.UNKN else k.name) for k in Kind}

VOID = BtfType(id=0, kind=Kind.UNKN)


def _s32(v: int) -> int:
    return v - (1 << 32) if v & 0x80000000 else v


class Btf:
    """A parsed BTF blob (base or split); see the module docstring for the lazy design."""

    __slots__ = (
        "name",
        "path",
        "base",
        "start_id",
        "start_str_off",
        "byteorder",
        "_words",
        "_offs",
        "_strs",
        "_text",
        "_records",
        "_names",
        "_tag_ids",
        "_tags",
        "cache_key",
    )

    def __init__(
        self,
        name: str,
        base: Btf | None,
        words: array[int],
        offs: array[int],
        strs: bytes,
        tag_ids: list[int],
        byteorder: Literal["little", "big"] = "little",
    ) -> None:
        self.name = name
        self.path: str | None = None
        """The file this BTF was read from (``load_btf``); None for BTF inside an object or
        built in memory. Problems found in it after loading name it."""
        self.base = base
        self.start_id = len(base) if base is not None else 1
        self.start_str_off = base.str_end if base is not None else 0
        self.byteorder: Literal["little", "big"] = byteorder
        self._words = words
        self._offs = offs
        self._strs = strs
        self._text: str | None = strs.decode("ascii") if strs.isascii() else None
        self._records: list[BtfType | None] = [None] * len(offs)
        self._names: dict[str, list[int]] | None = None
        self._tag_ids = tag_ids
        self._tags: dict[int, list[tuple[int, str]]] | None = None
        self.cache_key: str | None = None  # content hash, set by kfcheck.btf.cache

    # ---- construction ----

    def error(self, problem: str) -> BtfError:
        """The error for a problem found in this BTF after it was loaded."""
        return BtfError(problem, path=self.path)

    @classmethod
    def parse(cls, data: bytes, name: str = "<btf>", base: Btf | None = None) -> Btf:
        """Parse and validate raw BTF bytes (split BTF on top of ``base`` if given)."""
        data = bytes(data)
        words, strs, byteorder = _split_sections(data, base)
        start_id = len(base) if base is not None else 1
        start_str = base.str_end if base is not None else 0
        offs, tag_ids = _index_types(words, start_id, start_str + len(strs))
        return cls(name, base, words, offs, strs, tag_ids, byteorder)

    @classmethod
    def restore(
        cls, data: bytes, name: str, base: Btf | None, offs: array[int], tag_ids: list[int],
        names: dict[str, list[int]],
    ) -> Btf:
        """Rebuild from a trusted index saved by ``kfcheck.btf.cache`` (no per-type pass)."""
        words, strs, byteorder = _split_sections(bytes(data), base)
        btf = cls(name, base, words, offs, strs, tag_ids, byteorder)
        btf._names = names
        return btf

    @classmethod
    def from_types(
        cls, types: list[BtfType], strings: bytes = b"\0", name: str = "<btf>",
        base: Btf | None = None,
    ) -> Btf:
        """Build a Btf from records (ids consecutive from the first free id)."""
        return cls.parse(encode_btf(types, strings=strings, base=base), name, base)

    def to_bytes(self) -> bytes:
        """Encode back to raw BTF; byte-identical for unmodified, deduplicated input."""
        return encode_btf(self.types(), strings=self._strs, base=self.base,
                          byteorder=self.byteorder)

    # ---- sizes and strings ----

    def __len__(self) -> int:
        """Next free type id (last id + 1); void is counted."""
        return self.start_id + len(self._offs)

    @property
    def str_end(self) -> int:
        """One past the last string offset (base strings included)."""
        return self.start_str_off + len(self._strs)

    @property
    def raw_strings(self) -> bytes:
        """This BTF's own string section."""
        return self._strs

    def string(self, offset: int) -> str:
        """The NUL-terminated string at ``offset`` (offsets continue after the base's)."""
        if offset < self.start_str_off:
            assert self.base is not None
            return self.base.string(offset)
        off = offset - self.start_str_off
        if off >= len(self._strs):
            raise self.error(f"string offset {offset:#x} out of range")
        if self._text is not None:
            return self._text[off : self._text.index("\0", off)]
        end = self._strs.index(b"\0", off)
        return self._strs[off:end].decode("utf-8", errors="replace")

    # ---- types ----

    def __getitem__(self, type_id: int) -> BtfType:
        idx = type_id - self.start_id
        if idx >= 0:
            try:
                rec = self._records[idx]
            except IndexError:
                raise self.error(f"type id {type_id} out of range") from None
            if rec is None:
                rec = self._records[idx] = self._decode(idx)
            return rec
        if type_id == 0:
            return VOID
        if self.base is not None and type_id > 0:
            return self.base[type_id]
        raise self.error(f"type id {type_id} out of range")

    def types(self) -> Iterator[BtfType]:
        """Own types in id order."""
        for type_id in range(self.start_id, len(self)):
            yield self[type_id]

    def kind_of(self, type_id: int) -> Kind:
        """The kind of a type without decoding its record."""
        idx = type_id - self.start_id
        if 0 <= idx < len(self._offs):
            return Kind((self._words[self._offs[idx] + 1] >> 24) & 0x1F)
        return self[type_id].kind  # void, base ids, or a BtfError for bad ids

    def by_name(self, name: str, kind: Kind | None = None) -> list[BtfType]:
        """Named types (base first, then own) called ``name``, optionally of one kind."""
        found = self.base.by_name(name, kind) if self.base is not None else []
        ids = self.name_index().get(name)
        if ids:
            if kind is None:
                found.extend(self[i] for i in ids)
            else:
                found.extend(self[i] for i in ids if self.kind_of(i) is kind)
        return found

    def name_index(self) -> dict[str, list[int]]:
        """Own named types by name (built on first use); used by the cache."""
        if self._names is None:
            self._names = self._build_names()
        return self._names

    def type_offsets(self) -> array[int]:
        """Word offset of each own type in the type section (the index the cache keeps)."""
        return self._offs

    def tag_ids(self) -> list[int]:
        """Ids of own DECL_TAG types."""
        return list(self._tag_ids)

    def _build_names(self) -> dict[str, list[int]]:
        words, start = self._words, self.start_id
        names: dict[str, list[int]] = {}
        by_off: dict[int, str] = {}
        for idx, off in enumerate(self._offs):
            name_off = words[off]
            if not name_off:
                continue
            name = by_off.get(name_off)
            if name is None:
                name = by_off[name_off] = self.string(name_off)
            ids = names.get(name)
            if ids is None:
                names[name] = [start + idx]
            else:
                ids.append(start + idx)
        return names

    # ---- navigation ----

    def skip_modifiers(self, type_id: int) -> int:
        """Follow VOLATILE/CONST/RESTRICT/TYPE_TAG but stop at typedefs.

        Not the kernel's ``btf_type_skip_modifiers()``, which skips typedefs too: that is
        ``resolve``. Use this one only where a typedef must stay visible (C spellings).
        """
        for _ in range(MAX_RESOLVE_DEPTH):
            t = self[type_id]
            if t.kind not in MODIFIER_KINDS:
                return type_id
            type_id = t.type
        raise self.error(f"type {type_id}: modifier chain too long or looping")

    def resolve(self, type_id: int) -> int:
        """Follow modifiers and typedefs: the kernel's ``btf_type_skip_modifiers()``.

        Despite the kernel's name, that function skips typedefs as well, so port kernel code
        calling it to this method, not to ``skip_modifiers`` (which stops at typedefs).
        """
        for _ in range(MAX_RESOLVE_DEPTH):
            t = self[type_id]
            if t.kind not in MODIFIER_KINDS and t.kind is not Kind.TYPEDEF:
                return type_id
            type_id = t.type
        raise self.error(f"type {type_id}: modifier chain too long or looping")

    def size_of(self, type_id: int) -> int:
        """Byte size of a type, like libbpf's btf__resolve_size()."""
        nelems = 1
        first = type_id
        for _ in range(MAX_RESOLVE_DEPTH):
            t = self[type_id]
            if t.kind in _SIZED_KINDS:
                size = t.size
            elif t.kind is Kind.PTR:
                size = PTR_SIZE
            elif t.kind in _FOLLOW_KINDS:
                type_id = t.type
                continue
            elif t.kind is Kind.ARRAY:
                if t.nelems and nelems > 0xFFFFFFFF // t.nelems:
                    raise self.error(f"type {first}: array size overflows")
                nelems *= t.nelems
                type_id = t.elem_type
                continue
            else:
                raise self.error(f"type {first}: {KIND_STR[t.kind]} has no size")
            if nelems and size > 0xFFFFFFFF // nelems:
                raise self.error(f"type {first}: size overflows")
            return nelems * size
        raise self.error(f"type {first}: type chain too long or looping")

    def type_str(self, type_id: int) -> str:
        """How verifier messages name a type: ``STRUCT task_struct``.

        The kernel prints ``"%s %s"`` with ``btf_type_str(t)`` (``btf_kind_str[kind]``, e.g.
        ``STRUCT``, ``UNKNOWN`` for void) and ``btf_name_by_offset(t->name_off)`` ("" when
        anonymous), after ``btf_type_skip_modifiers()`` (our ``resolve``: modifiers *and*
        typedefs). So callers resolve first; void gives ``"UNKNOWN "``.
        """
        t = self[type_id]
        return f"{KIND_STR[t.kind]} {t.name}"

    def type_name(self, type_id: int) -> str:
        """The kernel's ``btf_type_name()``: just the name ("" if anonymous), as in
        ``R1 is ptr_task_struct ...`` or the register state ``R1=ptr_task_struct(...)``."""
        return self[type_id].name

    # ---- decl tags and kfuncs ----

    def decl_tags(self, type_id: int, component_idx: int = -1) -> list[str]:
        """Names of DECL_TAGs on a type (or on one member/parameter), base tags first."""
        tags: list[str] = []
        if self.base is not None and type_id < self.start_id:
            tags = self.base.decl_tags(type_id, component_idx)
        if self._tags is None:
            self._tags = self._build_tags()
        for idx, name in self._tags.get(type_id, ()):
            if idx == component_idx:
                tags.append(name)
        return tags

    def graph_contains(self, type_id: int, component_idx: int = -1) -> tuple[str, str] | None:
        """The ``contains:<type>:<field>`` decl tag (``__contains``) of a graph root.

        A bpf_list_head / bpf_rb_root is tagged with the node type and its node field: on a
        struct member (``type_id`` the struct, ``component_idx`` the member index) or on a
        global VAR (``component_idx`` -1). Returns ``(type name, field name)``, None without
        such a tag; like the kernel's btf_parse_graph_root(), two tags, a missing ``:`` or an
        empty field name are errors.
        """
        values = [
            tag[len(CONTAINS_TAG):]
            for tag in self.decl_tags(type_id, component_idx)
            if tag.startswith(CONTAINS_TAG)
        ]
        if not values:
            return None
        where = f"type {type_id}" + (f" member {component_idx}" if component_idx >= 0 else "")
        if len(values) > 1:
            raise self.error(f"{where}: more than one {CONTAINS_TAG!r} decl tag")
        node_type, sep, field = values[0].partition(":")
        if not sep or not field:
            raise self.error(f"{where}: bad decl tag {CONTAINS_TAG + values[0]!r}")
        return node_type, field

    def _build_tags(self) -> dict[int, list[tuple[int, str]]]:
        tags: dict[int, list[tuple[int, str]]] = {}
        for tag_id in self._tag_ids:
            t = self[tag_id]
            tags.setdefault(t.type, []).append((t.component_idx, t.name))
        return tags

    def kfuncs(self) -> list[BtfType]:
        """Own FUNCs carrying a ``bpf_kfunc`` decl tag, in id order."""
        ids = {
            t.type
            for t in map(self.__getitem__, self._tag_ids)
            if t.name == KFUNC_TAG and t.component_idx == -1
        }
        return [self[i] for i in sorted(ids) if self.kind_of(i) is Kind.FUNC]

    def fastcall(self, type_id: int) -> bool:
        """Whether a FUNC has the ``bpf_fastcall`` decl tag."""
        return FASTCALL_TAG in self.decl_tags(type_id)

    # ---- record decoding ----

    def _decode(self, idx: int) -> BtfType:
        w = self._words
        o = self._offs[idx]
        type_id = self.start_id + idx
        name_off, info, size_type = w[o], w[o + 1], w[o + 2]
        kind = Kind((info >> 24) & 0x1F)
        vlen = info & 0xFFFF
        kflag = bool(info >> 31)
        name = self.string(name_off) if name_off else ""
        s = self.string
        if kind is Kind.INT:
            data = w[o + 3]
            return BtfType(type_id, kind, name, size=size_type, kflag=kflag,
                           int_encoding=(data >> 24) & 0x0F, int_offset=(data >> 16) & 0xFF,
                           int_bits=data & 0xFF)
        if kind is Kind.STRUCT or kind is Kind.UNION:
            members = []
            for m in range(o + 3, o + 3 + 3 * vlen, 3):
                moff = w[m + 2]
                mname = s(w[m]) if w[m] else ""
                if kflag:
                    members.append(Member(mname, w[m + 1], moff & 0xFFFFFF, moff >> 24))
                else:
                    members.append(Member(mname, w[m + 1], moff))
            return BtfType(type_id, kind, name, size=size_type, kflag=kflag,
                           members=tuple(members))
        if kind is Kind.FUNC_PROTO:
            params = tuple(
                Param(s(w[p]) if w[p] else "", w[p + 1]) for p in range(o + 3, o + 3 + 2 * vlen, 2)
            )
            return BtfType(type_id, kind, name, type=size_type, kflag=kflag, params=params)
        if kind is Kind.FUNC:
            return BtfType(type_id, kind, name, type=size_type, kflag=kflag, linkage=vlen)
        if kind is Kind.ARRAY:
            return BtfType(type_id, kind, name, kflag=kflag, elem_type=w[o + 3],
                           index_type=w[o + 4], nelems=w[o + 5])
        if kind is Kind.ENUM:
            conv = _s32 if kflag else int
            values = tuple(
                EnumValue(s(w[e]) if w[e] else "", conv(w[e + 1]))
                for e in range(o + 3, o + 3 + 2 * vlen, 2)
            )
            return BtfType(type_id, kind, name, size=size_type, kflag=kflag, values=values)
        if kind is Kind.ENUM64:
            vals = []
            for e in range(o + 3, o + 3 + 3 * vlen, 3):
                v = w[e + 1] | (w[e + 2] << 32)
                if kflag and v >> 63:
                    v -= 1 << 64
                vals.append(EnumValue(s(w[e]) if w[e] else "", v))
            return BtfType(type_id, kind, name, size=size_type, kflag=kflag, values=tuple(vals))
        if kind is Kind.VAR:
            return BtfType(type_id, kind, name, type=size_type, kflag=kflag, linkage=w[o + 3])
        if kind is Kind.DATASEC:
            secinfos = tuple(
                VarSecinfo(w[v], w[v + 1], w[v + 2]) for v in range(o + 3, o + 3 + 3 * vlen, 3)
            )
            return BtfType(type_id, kind, name, size=size_type, kflag=kflag, secinfos=secinfos)
        if kind is Kind.DECL_TAG:
            return BtfType(type_id, kind, name, type=size_type, kflag=kflag,
                           component_idx=_s32(w[o + 3]))
        if kind is Kind.FLOAT:
            return BtfType(type_id, kind, name, size=size_type, kflag=kflag)
        if kind is Kind.FWD:
            return BtfType(type_id, kind, name, kflag=kflag)
        # PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG
        return BtfType(type_id, kind, name, type=size_type, kflag=kflag)


_SIZED_KINDS = frozenset(
    {Kind.INT, Kind.ENUM, Kind.ENUM64, Kind.STRUCT, Kind.UNION, Kind.DATASEC, Kind.FLOAT}
)
_FOLLOW_KINDS = frozenset(
    {Kind.TYPEDEF, Kind.VOLATILE, Kind.CONST, Kind.RESTRICT, Kind.VAR, Kind.DECL_TAG,
     Kind.TYPE_TAG}
)


def _split_sections(
    data: bytes, base: Btf | None
) -> tuple[array[int], bytes, Literal["little", "big"]]:
    """Validate the header; return type-section words (native order), strings, byte order."""
    if len(data) < HEADER_SIZE:
        raise BtfError(f"truncated BTF header ({len(data)} bytes)")
    magic = HEADER.unpack_from(data)[0]
    if magic == BTF_MAGIC:
        hdr, byteorder = HEADER, "little"
    elif magic == 0x9FEB:
        hdr, byteorder = HEADER_BE, "big"
    else:
        raise BtfError(f"bad BTF magic {magic:#06x}")
    _, version, flags, hdr_len, type_off, type_len, str_off, str_len = hdr.unpack_from(data)
    if version != BTF_VERSION:
        raise BtfError(f"unsupported BTF version {version}")
    if flags:
        raise BtfError(f"unsupported BTF flags {flags:#x}")
    if hdr_len < HEADER_SIZE or hdr_len > len(data):
        raise BtfError(f"bad BTF header length {hdr_len}")
    if any(data[HEADER_SIZE:hdr_len]):
        raise BtfError("unsupported non-zero bytes in BTF header tail")
    body = len(data) - hdr_len
    if type_off % 4:
        raise BtfError(f"type section offset {type_off:#x} not 4-byte aligned")
    if type_len % 4:
        raise BtfError(f"type section length {type_len} not a multiple of 4")
    if type_off + type_len > body:
        raise BtfError("type section extends beyond the end of data")
    if str_off + str_len > body:
        raise BtfError("string section extends beyond the end of data")
    if type_off < str_off + str_len and str_off < type_off + type_len:
        raise BtfError("type and string sections overlap")
    strs = data[hdr_len + str_off : hdr_len + str_off + str_len]
    if base is None and (not strs or strs[0] != 0):
        raise BtfError("string section does not start with an empty string")
    if strs and strs[-1] != 0:
        raise BtfError("string section is not NUL-terminated")
    if base is not None and base.byteorder != byteorder:
        raise BtfError("split BTF and base BTF differ in byte order")
    words = array("I")
    if words.itemsize != 4:  # pragma: no cover - every supported platform has 4-byte 'I'
        raise RuntimeError("array('I') is not 32-bit")
    words.frombytes(data[hdr_len + type_off : hdr_len + type_off + type_len])
    if (byteorder == "little") != (sys.byteorder == "little"):
        words.byteswap()
    return words, strs, byteorder  # type: ignore[return-value]


# Per-kind check classes for the index pass (0 = invalid kind).
_C_REF, _C_FUNC, _C_PROTO, _C_SU, _C_ENUM, _C_ENUM64 = 1, 2, 3, 4, 5, 6
_C_DATASEC, _C_INT, _C_ARRAY, _C_FWD, _C_FLOAT, _C_TAG = 7, 8, 9, 10, 11, 12
_CHECK_CLASS: tuple[int, ...] = (
    0, _C_INT, _C_REF, _C_ARRAY, _C_SU, _C_SU, _C_ENUM, _C_FWD, _C_REF, _C_REF, _C_REF,
    _C_REF, _C_FUNC, _C_PROTO, _C_REF, _C_DATASEC, _C_FLOAT, _C_TAG, _C_REF, _C_ENUM64,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
)


def _index_types(
    w: array[int], start_id: int, str_end: int
) -> tuple[array[int], list[int]]:
    """One pass over the type section: record offsets and decl-tag ids, validate each record.

    Referenced type ids and member name offsets are folded into running maxima (types may
    refer forward); only when a maximum is out of range does a slower pass find the culprit.
    """
    offs: array[int] = array("I")
    add = offs.append
    tag_ids: list[int] = []
    extra, per, classes = EXTRA_WORDS, VLEN_WORDS, _CHECK_CLASS
    n = len(w)
    i = 0
    max_ref = max_str = 0
    try:
        while i < n:
            info = w[i + 1]
            k = (info >> 24) & 0x1F
            vlen = info & 0xFFFF
            c = classes[k]
            if not c or info & _INFO_UNUSED or w[i] >= str_end:
                _bad_header(start_id + len(offs), w[i], info)
            add(i)
            if c <= _C_FUNC:  # _C_REF or _C_FUNC: a type id, no vlen entries
                if w[i + 2] > max_ref:
                    max_ref = w[i + 2]
                if vlen and (c == _C_REF or vlen > 2):
                    _bad_vlen(start_id + len(offs) - 1, k, vlen)
                i += 3 + extra[k]
                continue
            end = i + 3 + extra[k] + per[k] * vlen
            if vlen:
                if end > n:
                    break
                if c == _C_SU:
                    m = max(w[i + 3 : end : 3])
                    if m > max_str:
                        max_str = m
                    m = max(w[i + 4 : end : 3])
                elif c == _C_PROTO:
                    m = max(w[i + 3 : end : 2])
                    if m > max_str:
                        max_str = m
                    m = max(w[i + 4 : end : 2])
                elif c == _C_ENUM or c == _C_ENUM64:
                    m = max(w[i + 3 : end : 2 if c == _C_ENUM else 3])
                    if m > max_str:
                        max_str = m
                    m = 0
                elif c == _C_DATASEC:
                    m = max(w[i + 3 : end : 3])
                else:
                    _bad_vlen(start_id + len(offs) - 1, k, vlen)
                if m > max_ref:
                    max_ref = m
            if c == _C_PROTO or c == _C_TAG:
                if w[i + 2] > max_ref:
                    max_ref = w[i + 2]
                if c == _C_TAG:
                    tag_ids.append(start_id + len(offs) - 1)
            elif c == _C_ARRAY:
                if w[i + 2]:
                    raise BtfError(
                        f"type {start_id + len(offs) - 1}: ARRAY with non-zero size"
                    )
                max_ref = max(max_ref, w[i + 3], w[i + 4])
            elif c == _C_INT:
                if w[i + 3] & ~_INT_DATA_MASK:
                    raise BtfError(
                        f"type {start_id + len(offs) - 1}: bad INT data {w[i + 3]:#x}"
                    )
            elif c == _C_FWD and w[i + 2]:
                raise BtfError(
                    f"type {start_id + len(offs) - 1}: FWD with non-zero size/type"
                )
            i = end
    except IndexError:  # the 3-word common header of the next type is cut off
        raise BtfError(f"truncated type section at type {start_id + len(offs)}") from None
    if i != n:  # the last type's extra words are cut off
        raise BtfError(f"truncated type section at type {start_id + len(offs) - 1}")
    if max_ref >= start_id + len(offs) or max_str >= str_end:
        _find_bad_ref(w, offs, start_id, str_end)
    return offs, tag_ids


def _bad_header(type_id: int, name_off: int, info: int) -> None:
    kind = (info >> 24) & 0x1F
    if not 0 < kind <= MAX_KIND:
        raise BtfError(f"type {type_id}: unknown kind {kind}")
    if info & _INFO_UNUSED:
        raise BtfError(f"type {type_id}: unused bits set in info {info:#x}")
    raise BtfError(f"type {type_id}: string offset {name_off:#x} out of range")


def _bad_vlen(type_id: int, kind: int, vlen: int) -> None:
    if kind == Kind.FUNC:
        raise BtfError(f"type {type_id}: bad FUNC linkage {vlen}")
    raise BtfError(f"type {type_id}: {KIND_STR[Kind(kind)]} with vlen {vlen}")


def _find_bad_ref(
    w: array[int], offs: array[int], start_id: int, str_end: int
) -> None:
    """Slow path: find the first type with a referenced id or string offset out of range."""
    ntypes = start_id + len(offs)
    for idx, o in enumerate(offs):
        type_id = start_id + idx
        info = w[o + 1]
        k = (info >> 24) & 0x1F
        c = _CHECK_CLASS[k]
        end = o + 3 + EXTRA_WORDS[k] + VLEN_WORDS[k] * (info & 0xFFFF)
        names: list[int] = []
        refs: list[int] = []
        if c in (_C_REF, _C_FUNC, _C_PROTO, _C_TAG):
            refs.append(w[o + 2])
        if c == _C_ARRAY:
            refs += (w[o + 3], w[o + 4])
        elif c == _C_SU:
            names, refs = list(w[o + 3 : end : 3]), list(w[o + 4 : end : 3])
        elif c == _C_PROTO:
            names, refs = list(w[o + 3 : end : 2]), refs + list(w[o + 4 : end : 2])
        elif c == _C_ENUM:
            names = list(w[o + 3 : end : 2])
        elif c == _C_ENUM64:
            names = list(w[o + 3 : end : 3])
        elif c == _C_DATASEC:
            refs = list(w[o + 3 : end : 3])
        for ref in refs:
            if ref >= ntypes:
                _bad_ref(type_id, ref)
        for off in names:
            if off >= str_end:
                raise BtfError(f"type {type_id}: string offset {off:#x} out of range")
    raise AssertionError("out-of-range reference not found")  # pragma: no cover


def _bad_ref(type_id: int, ref: int) -> None:
    raise BtfError(f"type {type_id}: referenced type id {ref} out of range")

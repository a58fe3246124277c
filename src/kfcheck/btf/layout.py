"""Member layout: which struct/union members cover a byte offset (for field access)."""

from __future__ import annotations

from kfcheck.btf.parse import Btf
from kfcheck.btf.types import BtfType, Kind, Member
from kfcheck.errors import BtfError

_AGGREGATES = (Kind.STRUCT, Kind.UNION)
_MAX_DEPTH = 32


def members_at(btf: Btf, type_id: int, byte_offset: int) -> list[tuple[str, Member, int]]:
    """Innermost members of struct/union ``type_id`` covering ``byte_offset``.

    Each result is ``(path, member, offset)``: ``path`` spells the access in C (``a.b[2].c``;
    anonymous members add no name), ``member`` is the innermost member, ``offset`` is the byte
    offset of ``byte_offset`` from that member's start. Nested structs/unions and arrays of
    them are entered; a bitfield covers the bytes its bits touch, so several bitfields (or
    union members) can match. Padding matches nothing: ``[]``. A nested aggregate whose own
    members leave the offset uncovered is itself the match.
    """
    t = btf[btf.resolve(type_id)]
    if t.kind not in _AGGREGATES:
        raise btf.error(f"type {type_id}: {btf.type_str(t.id)} is not a struct or union")
    out: list[tuple[str, Member, int]] = []
    if 0 <= byte_offset < t.size:
        _walk(btf, t, byte_offset, "", out, 0)
    return out


def _member_size(btf: Btf, m: Member) -> int:
    if m.bitfield_size:
        return (m.bit_offset % 8 + m.bitfield_size + 7) // 8
    try:
        return btf.size_of(m.type)
    except BtfError:  # FWD, FUNC_PROTO...: occupies nothing we can see
        return 0


def _join(prefix: str, name: str) -> str:
    if not name:
        return prefix
    return f"{prefix}.{name}" if prefix else name


def _walk(
    btf: Btf, t: BtfType, off: int, prefix: str, out: list[tuple[str, Member, int]], depth: int
) -> None:
    if depth > _MAX_DEPTH:
        raise btf.error(f"type {t.id}: members nest too deeply")
    for m in t.members:
        start = m.bit_offset // 8
        inner = off - start
        if not 0 <= inner < _member_size(btf, m):
            continue
        path = _join(prefix, m.name)
        if m.bitfield_size:
            out.append((path, m, inner))
            continue
        mt = btf[btf.resolve(m.type)]
        elem_off = inner
        while mt.kind is Kind.ARRAY:
            elem_size = btf.size_of(mt.elem_type)
            if elem_size == 0:
                break
            path += f"[{elem_off // elem_size}]"
            elem_off %= elem_size
            mt = btf[btf.resolve(mt.elem_type)]
        found = len(out)
        if mt.kind in _AGGREGATES:
            sub: list[tuple[str, Member, int]] = []
            _walk(btf, mt, elem_off, path, sub, depth + 1)
            out.extend(sub)
        if len(out) == found:
            out.append((path, m, inner))

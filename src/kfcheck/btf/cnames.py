"""C spellings of BTF types and function declarations (``struct task_struct *p``).

Declarators are built inside-out: pointers prefix ``*``, arrays and function prototypes
suffix ``[n]`` / ``(params)``, with parentheses where a pointer meets either. Type tags are
left out; anonymous aggregates print as ``struct {...}``.

A spelling is at most ``MAX_DECL_LEN`` characters (the longest function of a 6.18 vmlinux
spells in 465): function pointers whose parameters are function pointers double the text with
each level, so without a bound a kilobyte of BTF spells in gigabytes. Every partial text is
checked, so the work before giving up is bounded too (by the nesting depth times the limit).
"""

from __future__ import annotations

from kfcheck.btf.parse import Btf
from kfcheck.btf.types import Kind
from kfcheck.errors import BtfError

_QUALIFIERS = {Kind.CONST: "const", Kind.VOLATILE: "volatile", Kind.RESTRICT: "restrict"}
_MAX_DEPTH = 64
MAX_DECL_LEN = 4096


class _TooLong(Exception):
    """A partial spelling passed ``MAX_DECL_LEN``."""


def type_decl(btf: Btf, type_id: int, declarator: str = "") -> str:
    """C declaration of ``declarator`` with type ``type_id`` (just the type if empty)."""
    try:
        return _decl(btf, type_id, declarator, 0)
    except _TooLong:
        raise _too_long(btf, type_id) from None


def func_decl(btf: Btf, type_id: int) -> str:
    """C prototype of a FUNC, e.g. ``struct task_struct *bpf_task_acquire(struct task_struct
    *p)``."""
    func = btf[type_id]
    if func.kind is not Kind.FUNC:
        raise btf.error(f"type {type_id}: {btf.type_str(type_id)} is not a FUNC")
    try:
        return _decl(btf, func.type, func.name, 0)
    except _TooLong:
        raise _too_long(btf, type_id) from None


def _too_long(btf: Btf, type_id: int) -> BtfError:
    return btf.error(f"type {type_id}: {btf.type_str(type_id)}: C declaration longer "
          f"than {MAX_DECL_LEN} characters")


def _params(btf: Btf, proto_id: int, depth: int) -> str:
    proto = btf[proto_id]
    if not proto.params:
        return "(void)"
    parts = []
    size = 2
    for p in proto.params:
        if p.type == 0 and not p.name:
            part = "..."
        else:
            part = _decl(btf, p.type, p.name, depth + 1)
        size += len(part) + 2
        if size > MAX_DECL_LEN:  # checked per parameter: a proto may have 65535
            raise _TooLong
        parts.append(part)
    return "(" + ", ".join(parts) + ")"


def _named(kind_word: str, name: str) -> str:
    return f"{kind_word} {name}" if name else f"{kind_word} {{...}}"


def _with(base: str, declarator: str) -> str:
    return f"{base} {declarator}" if declarator else base


def _decl(btf: Btf, type_id: int, declarator: str, depth: int) -> str:
    text = _spell(btf, type_id, declarator, depth)
    if len(text) > MAX_DECL_LEN:
        raise _TooLong
    return text


def _spell(btf: Btf, type_id: int, declarator: str, depth: int) -> str:
    if depth > _MAX_DEPTH:
        raise btf.error(f"type {type_id}: type nests too deeply")
    t = btf[type_id]
    kind = t.kind
    if type_id == 0:
        return _with("void", declarator)
    if kind in (Kind.INT, Kind.FLOAT, Kind.TYPEDEF):
        return _with(t.name, declarator)
    if kind is Kind.STRUCT:
        return _with(_named("struct", t.name), declarator)
    if kind is Kind.UNION:
        return _with(_named("union", t.name), declarator)
    if kind in (Kind.ENUM, Kind.ENUM64):
        return _with(_named("enum", t.name), declarator)
    if kind is Kind.FWD:
        return _with(_named("union" if t.kflag else "struct", t.name), declarator)
    if kind is Kind.PTR:
        return _decl(btf, t.type, "*" + declarator, depth + 1)
    if kind in _QUALIFIERS:
        word = _QUALIFIERS[kind]
        target = btf[btf.skip_modifiers(t.type)] if t.type else None
        if target is not None and target.kind is Kind.PTR:
            return _decl(btf, t.type, f"{word} {declarator}".rstrip(), depth + 1)
        return f"{word} " + _decl(btf, t.type, declarator, depth + 1)
    if kind is Kind.TYPE_TAG:
        return _decl(btf, t.type, declarator, depth + 1)
    if kind is Kind.ARRAY:
        inner = f"({declarator})" if declarator.startswith("*") else declarator
        return _decl(btf, t.elem_type, f"{inner}[{t.nelems}]", depth + 1)
    if kind is Kind.FUNC_PROTO:
        inner = f"({declarator})" if declarator.startswith("*") else declarator
        return _decl(btf, t.type, inner + _params(btf, type_id, depth), depth + 1)
    if kind in (Kind.FUNC, Kind.VAR, Kind.DECL_TAG):
        return _decl(btf, t.type, declarator or t.name, depth + 1)
    raise btf.error(f"type {type_id}: {btf.type_str(type_id)} has no C spelling")

"""Text dump in bpftool's ``btf dump file X format raw`` format (bpftool 7.1).

One entry per type: ``[id] KIND 'name' fields...`` followed by one tab-indented line per
member, enumerator, parameter or section variable. Names: ``(anon)`` for an empty name.
"""

from __future__ import annotations

from collections.abc import Iterator

from kfcheck.btf.parse import KIND_STR, Btf
from kfcheck.btf.types import BtfType, Kind

_INT_ENCODING = {0: "(none)", 1: "SIGNED", 2: "CHAR", 4: "BOOL"}
_LINKAGE = {0: "static", 1: "global", 2: "extern"}  # FUNC and VAR alike


def _name(name: str) -> str:
    return name or "(anon)"


def dump_type(btf: Btf, t: BtfType) -> str:
    """bpftool's raw rendering of one type (several lines for aggregates, no final newline)."""
    head = f"[{t.id}] {KIND_STR[t.kind]} '{_name(t.name)}'"
    kind = t.kind
    if kind is Kind.INT:
        enc = _INT_ENCODING.get(t.int_encoding, "UNKN")
        return (f"{head} size={t.size} bits_offset={t.int_offset} nr_bits={t.int_bits} "
                f"encoding={enc}")
    if kind in (Kind.PTR, Kind.CONST, Kind.VOLATILE, Kind.RESTRICT, Kind.TYPEDEF,
                Kind.TYPE_TAG):
        return f"{head} type_id={t.type}"
    if kind is Kind.ARRAY:
        return f"{head} type_id={t.elem_type} index_type_id={t.index_type} nr_elems={t.nelems}"
    if kind in (Kind.STRUCT, Kind.UNION):
        lines = [f"{head} size={t.size} vlen={len(t.members)}"]
        for m in t.members:
            line = f"\t'{_name(m.name)}' type_id={m.type} bits_offset={m.bit_offset}"
            if m.bitfield_size:
                line += f" bitfield_size={m.bitfield_size}"
            lines.append(line)
        return "\n".join(lines)
    if kind in (Kind.ENUM, Kind.ENUM64):
        encoding = "SIGNED" if t.kflag else "UNSIGNED"
        lines = [f"{head} encoding={encoding} size={t.size} vlen={len(t.values)}"]
        if kind is Kind.ENUM:
            lines += (f"\t'{_name(v.name)}' val={v.value}" for v in t.values)
        else:
            suffix = "LL" if t.kflag else "ULL"
            lines += (f"\t'{_name(v.name)}' val={v.value}{suffix}" for v in t.values)
        return "\n".join(lines)
    if kind is Kind.FWD:
        return f"{head} fwd_kind={'union' if t.kflag else 'struct'}"
    if kind is Kind.FUNC:
        return f"{head} type_id={t.type} linkage={_LINKAGE.get(t.linkage, '(unknown)')}"
    if kind is Kind.FUNC_PROTO:
        lines = [f"{head} ret_type_id={t.type} vlen={len(t.params)}"]
        lines += (f"\t'{_name(p.name)}' type_id={p.type}" for p in t.params)
        return "\n".join(lines)
    if kind is Kind.VAR:
        return f"{head} type_id={t.type}, linkage={_LINKAGE.get(t.linkage, '(unknown)')}"
    if kind is Kind.DATASEC:
        lines = [f"{head} size={t.size} vlen={len(t.secinfos)}"]
        for s in t.secinfos:
            line = f"\ttype_id={s.type} offset={s.offset} size={s.size}"
            if s.type < len(btf):
                vt = btf[s.type]
                line += f" ({KIND_STR[vt.kind]} '{_name(vt.name)}')"
            lines.append(line)
        return "\n".join(lines)
    if kind is Kind.FLOAT:
        return f"{head} size={t.size}"
    if kind is Kind.DECL_TAG:
        return f"{head} type_id={t.type} component_idx={t.component_idx}"
    return head


def dump_lines(btf: Btf) -> Iterator[str]:
    """The whole dump of ``btf``'s own types, one type (possibly multi-line) per item."""
    for t in btf.types():
        yield dump_type(btf, t)


def dump_text(btf: Btf) -> str:
    """The whole dump as bpftool prints it (newline-terminated)."""
    return "".join(entry + "\n" for entry in dump_lines(btf))

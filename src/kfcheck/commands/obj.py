"""``kfcheck obj FILE``: a readable summary of what ``read_object`` found."""

from __future__ import annotations

from kfcheck.obj.model import BpfObject, MapDef, Program, Reloc, RelocKind
from kfcheck.obj.reader import read_object

_INSN_TARGETS = (RelocKind.SUBPROG_CALL, RelocKind.CALLBACK)


def describe_object(path: str) -> str:
    """Programs, subprograms, maps, externs and relocations of an object, as text."""
    return "\n".join(_lines(read_object(path))) + "\n"


def _lines(o: BpfObject) -> list[str]:
    version = f"{o.kern_version:#x}" if o.kern_version is not None else "none"
    out = [f"object {o.name}: license {o.license!r}, version {version}, "
           f"btf {'yes' if o.btf else 'no'}, btf.ext {'yes' if o.btf_ext else 'no'}"]
    out.append(f"programs ({len(o.programs)}):")
    for p in o.programs:
        out.append("  " + _program(p))
        out.extend("    " + _reloc(o, r) for r in p.relocations)
    out.append(f"subprograms ({len(o.subprograms)}):")
    for f in o.subprograms:
        out.append(f"  {f.name} [{f.section}+{f.offset:#x}] "
                   f"{'global' if f.is_global else 'static'} insns={f.insn_count}")
        out.extend("    " + _reloc(o, r) for r in f.relocations)
    out.append(f"maps ({len(o.maps)}):")
    for m in o.maps:
        out.append("  " + _map(m))
        if m.inner is not None:
            out.append("    inner: " + _map(m.inner))
        out.extend(f"    slot {s.index}: {s.target}" for s in m.init_slots)
    out.append(f"externs ({len(o.externs)}):")
    for e in o.externs:
        extra = f" offset={e.kconfig_offset} size={e.size}" if e.size else ""
        out.append(f"  {e.name} {e.kind.value}{' weak' if e.is_weak else ''}{extra}")
    return out


def _program(p: Program) -> str:
    attach = p.expected_attach_type.name.lower() if p.expected_attach_type is not None else "-"
    flags = [f for f, on in (("sleepable", p.sleepable), ("noautoload", not p.autoload),
                             ("static", not p.is_global)) if on]
    return (f"{p.name} [{p.section}] type={p.prog_type.name.lower()} attach={attach} "
            f"target={p.attach_target or '-'} insns={p.insn_count}"
            + "".join(f" {f}" for f in flags))


def _reloc(o: BpfObject, r: Reloc) -> str:
    where = ""
    if r.kind in _INSN_TARGETS:
        where = f" ({o.sections[r.target_sec_index].name} insn {r.target_offset})"
    elif r.target_offset:
        where = f" +{r.target_offset}"
    return f"insn {r.insn_index}: {r.kind.value} {r.target}{where}"


def _map(m: MapDef) -> str:
    return (f"{m.name} {m.map_type.name.lower()} key={m.key_size} value={m.value_size} "
            f"max_entries={m.max_entries} flags={m.map_flags:#x} [{m.section}]")


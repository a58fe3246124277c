"""The ``kfcheck table`` actions as library functions returning their text output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kfcheck.errors import TableError
from kfcheck.profile.kfuncs.btfview import KfuncBtf, load_kfunc_btf
from kfcheck.profile.kfuncs.codegen import Style, generate
from kfcheck.profile.kfuncs.families import closure, members
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.schema import Family, KfuncEntry, KfuncSpec, TableFile, flag_names
from kfcheck.profile.kfuncs.table import KfuncTable

DEFAULT_PROFILE = "linux-6.18"


def data_path(name: str) -> Path:
    """A file shipped in ``kfcheck/data``."""
    return Path(str(resources.files("kfcheck").joinpath("data", name)))


def default_table_path(profile: str = DEFAULT_PROFILE) -> Path:
    """The shipped table file of ``profile``."""
    return data_path(f"{profile}.kfuncs.toml")


def default_btf(profile: str = DEFAULT_PROFILE) -> KfuncBtf:
    """The shipped BTF recording of the profile's reference kernel."""
    return KfuncBtf.from_recording(data_path(f"{profile}.kfuncs-btf.json"))


@dataclass(frozen=True, slots=True)
class TableRequest:
    """What ``kfcheck table`` was asked: an action, its argument, the table and BTF to use."""

    action: str
    table: str = ""
    btf: str = ""
    name: str = ""
    other: str = ""
    style: str = "kernel"


def run(req: TableRequest) -> str:
    """Perform one ``kfcheck table`` action and return its output."""
    path = Path(req.table) if req.table else default_table_path()
    if req.action == "diff":
        return diff(load_table_file(path), load_table_file(req.other))
    file = load_table_file(path)
    if req.action == "families":
        return list_families(file)
    if req.action == "family":
        return show_family(file, req.name)
    if req.action == "gen-c":
        return generate(file, Style(req.style), path.name)
    btf = load_kfunc_btf(req.btf) if req.btf else default_btf(file.profile)
    table = KfuncTable.build(file, btf)
    if req.action == "list":
        return list_kfuncs(table)
    if req.action == "show":
        return show_kfunc(table, req.name)
    if req.action == "export":
        return json.dumps(export(table), indent=1) + "\n"
    raise TableError(str(path), f"unknown table action {req.action}")


def list_kfuncs(table: KfuncTable) -> str:
    """One line per kfunc: id, name, flags."""
    lines = [
        f"{s.btf_id:>7}  {s.name:<40} {' '.join(_short(f) for f in s.flag_names)}".rstrip()
        for s in sorted(table, key=lambda s: s.name)
    ]
    return "\n".join(lines) + "\n"


def show_kfunc(table: KfuncTable, name: str) -> str:
    """Everything the table knows about one kfunc."""
    spec = table.by_name(name)
    if spec is None:
        raise TableError(table.file.path, f"no kfunc named {name}")
    args = ", ".join(
        f"{a.name}: type {a.type_id}" + (f" [{a.annotation.value}]" if a.annotation else "")
        for a in spec.args
    )
    rows = [
        ("name", spec.name),
        ("btf_id", str(spec.btf_id)),
        ("flags", " | ".join(spec.flag_names) or "-"),
        ("families", " ".join(sorted(f.name for f in spec.families)) or "-"),
        ("sets", " ".join(spec.sets)),
        ("hooks", " ".join(h.name for h in sorted(spec.hooks))),
        ("prog_types", " ".join(p.name for p in sorted(spec.prog_types)) or "-"),
        ("args", args or "-"),
        ("returns", f"type {spec.ret_type_id}"),
        ("since", spec.since or "-"),
        ("config", spec.config or "-"),
        ("note", spec.note or "-"),
    ]
    return "".join(f"{k:<11} {v}\n" for k, v in rows)


def list_families(file: TableFile) -> str:
    """One line per declared family: name, size, definition."""
    mem = members(file.kfuncs, file.families)
    out = []
    for fam, fdef in file.families.items():
        union = " = " + " | ".join(u.name for u in fdef.union) + " | listed" if fdef.union else ""
        out.append(f"{fam.name:<22} {len(mem[fam]):>3}  {fam.predicate}{union}")
    return "\n".join(out) + "\n"


def show_family(file: TableFile, name: str) -> str:
    """A family's member kfuncs, one per line."""
    try:
        fam = Family[name.upper()]
    except KeyError:
        raise TableError(file.path, f"unknown family {name}") from None
    if fam not in file.families:
        raise TableError(file.path, f"family {fam.name} is not declared by {file.profile}")
    return "".join(f"{n}\n" for n in members(file.kfuncs, file.families)[fam])


def export(table: KfuncTable) -> dict[str, object]:
    """The table as JSON-ready data."""
    return {
        "profile": table.profile,
        "kfuncs": [_export_spec(s) for s in table],
        "families": {f.name: [s.name for s in table.members(f)] for f in table.families()},
    }


def _export_spec(spec: KfuncSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "btf_id": spec.btf_id,
        "flags": list(spec.flag_names),
        "families": sorted(f.name for f in spec.families),
        "sets": list(spec.sets),
        "prog_types": sorted(p.name for p in spec.prog_types),
    }


def diff(a: TableFile, b: TableFile) -> str:
    """Kfuncs added and removed from ``a`` to ``b``, and changed flags, families and sets."""
    ea = {k.name: k for k in a.kfuncs}
    eb = {k.name: k for k in b.kfuncs}
    out = [f"--- {a.profile} ({a.path})", f"+++ {b.profile} ({b.path})"]
    out += [f"+ {n}" for n in sorted(eb.keys() - ea.keys())]
    out += [f"- {n}" for n in sorted(ea.keys() - eb.keys())]
    fa, fb = closure(a.families), closure(b.families)
    for name in sorted(ea.keys() & eb.keys()):
        out += _entry_changes(ea[name], eb[name], fa, fb)
    return "\n".join(out) + "\n"


def _entry_changes(
    a: KfuncEntry, b: KfuncEntry,
    fa: dict[Family, frozenset[Family]], fb: dict[Family, frozenset[Family]],
) -> list[str]:
    out = []
    if a.flags != b.flags:
        out.append(f"~ {a.name}: flags {_set_change(flag_names(a.flags), flag_names(b.flags))}")
    fams_a = {f.name for f, inc in fa.items() if inc & a.families}
    fams_b = {f.name for f, inc in fb.items() if inc & b.families}
    if fams_a != fams_b:
        out.append(f"~ {a.name}: families {_set_change(fams_a, fams_b)}")
    if set(a.sets) != set(b.sets):
        out.append(f"~ {a.name}: sets {_set_change(a.sets, b.sets)}")
    return out


def _set_change(old: tuple[str, ...] | set[str], new: tuple[str, ...] | set[str]) -> str:
    added = [f"+{x}" for x in sorted(set(new) - set(old))]
    removed = [f"-{x}" for x in sorted(set(old) - set(new))]
    return " ".join(added + removed)


def _short(flag: str) -> str:
    return flag.removeprefix("KF_")

"""``kfcheck table``: every action as a library function of one request.

Tables are compiled against the embedded profile's BTF unless ``--kernel-btf`` names another
kernel's BTF (then the table is fitted to it: kfuncs that BTF lacks are dropped with a warning).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from kfcheck.btf import load_btf
from kfcheck.errors import TableError
from kfcheck.kernel import probe as probing
from kfcheck.profile.embedded import (
    Profile,
    embedded_btf,
    load_profile,
    read_manifest,
    sysfs_btf,
)
from kfcheck.profile.kfuncs import extract as extraction
from kfcheck.profile.kfuncs.codegen import Style, generate
from kfcheck.profile.kfuncs.families import closure, effective_families, members
from kfcheck.profile.kfuncs.loader import load_table_file
from kfcheck.profile.kfuncs.schema import (
    Family,
    KfuncEntry,
    KfuncSpec,
    TableFile,
    access_labels,
    flag_names,
)
from kfcheck.profile.kfuncs.table import KfuncTable


@dataclass(frozen=True, slots=True)
class TableRequest:
    """What ``kfcheck table`` was asked: the action, its arguments and options."""

    action: str
    profile: str = ""  # the profile (default: ``default_profile()``)
    table: str = ""  # another table file (default: the profile's); diff: file A
    kernel_btf: str = ""  # another kernel's BTF (default: the embedded profile's)
    name: str = ""  # show, family: the kfunc or family
    other: str = ""  # diff: file B
    style: str = "kernel"  # gen-c
    btf: str = ""  # extract: the BTF to read (default: the embedded profile's)
    as_json: bool = False
    timeout: float = 120.0  # probe
    recorded: str = ""  # probe: compare this recorded run instead of probing
    save: str = ""  # probe: write the run here


@dataclass(frozen=True, slots=True)
class TableOutput:
    """Text for stdout, warning lines for stderr, and the exit code."""

    text: str
    warnings: tuple[str, ...] = ()
    exit_code: int = 0


def run_table(req: TableRequest) -> TableOutput:
    """Perform one ``kfcheck table`` action."""
    action = _ACTIONS.get(req.action)
    if action is None:
        raise TableError(f"unknown table action {req.action}", path=req.table)
    if req.kernel_btf and req.action not in _USES_BTF:
        raise TableError(f"--kernel-btf does not apply to table {req.action}", path=req.kernel_btf)
    return action(req)


# ---- actions on the compiled table (profile BTF) ----


def _profile(req: TableRequest, kernel_btf: str | None = None) -> Profile:
    return load_profile(kernel_btf or req.kernel_btf or None, req.profile or None,
                        table=req.table or None)


def _compiled(req: TableRequest, render: Callable[[KfuncTable], str]) -> TableOutput:
    profile = _profile(req)
    notes = tuple(f"kfunc {n} is in the BTF but not in the table" for n in profile.untabled)
    return TableOutput(render(profile.table), profile.warnings + notes)


def _list(req: TableRequest) -> TableOutput:
    return _compiled(req, list_kfuncs)


def _show(req: TableRequest) -> TableOutput:
    return _compiled(req, lambda t: show_kfunc(t, req.name))


def _export(req: TableRequest) -> TableOutput:
    return _compiled(req, lambda t: json.dumps(export(t), indent=1) + "\n")


# ---- actions on the table file alone ----


def _file(req: TableRequest) -> TableFile:
    return load_table_file(req.table or read_manifest(req.profile or None).table)


def _families(req: TableRequest) -> TableOutput:
    return TableOutput(list_families(_file(req)))


def _family(req: TableRequest) -> TableOutput:
    return TableOutput(show_family(_file(req), req.name))


def _gen_c(req: TableRequest) -> TableOutput:
    file = _file(req)
    return TableOutput(generate(file, Style(req.style), Path(file.path).name))


def _diff(req: TableRequest) -> TableOutput:
    return TableOutput(diff(_file(req), load_table_file(req.other)))


# ---- actions on a kernel: extract from its BTF, probe the running one ----


def _extract(req: TableRequest) -> TableOutput:
    path = req.btf or req.kernel_btf
    if path:
        return TableOutput(extraction.render(extraction.extract(load_btf(path)), req.as_json))
    manifest = read_manifest(req.profile or None)
    found = replace(extraction.extract(embedded_btf(manifest)),
                    source=f"{manifest.btf.name} (profile {manifest.name})")
    return TableOutput(extraction.render(found, req.as_json))


def _probe(req: TableRequest) -> TableOutput:
    if req.recorded:
        profile = _profile(req)
        run = probing.load_run(req.recorded)
    else:
        if req.kernel_btf:
            raise TableError("--kernel-btf applies to table probe --recorded only: a live "
                             "probe uses the running kernel's BTF", path=req.kernel_btf)
        probing.require_kernel()
        profile = _profile(req, sysfs_btf())
        run = probing.probe(profile.table, profile.btf, req.timeout)
    if req.save:
        probing.save_run(run, req.save)
    cmp = probing.compare(profile.table, run)
    text = (json.dumps(probing.report_json(cmp, run), indent=1) + "\n" if req.as_json
            else probing.render(cmp, run))
    notes = profile.warnings
    code = 1 if cmp.disagreements else 0
    if run.timed_out or cmp.missing:
        why = "time limit reached" if run.timed_out else "kfuncs missing from the run"
        notes += (f"probe incomplete ({why}): {len(cmp.missing)} of {len(profile.table)} "
                  "kfuncs not probed",)
        code = code or PROBE_INCOMPLETE
    return TableOutput(text, notes, code)


PROBE_INCOMPLETE = 3  # exit code of a probe that timed out or left kfuncs unprobed
_ACTIONS: dict[str, Callable[[TableRequest], TableOutput]] = {
    "list": _list, "show": _show, "export": _export, "families": _families, "family": _family,
    "gen-c": _gen_c, "diff": _diff, "extract": _extract, "probe": _probe,
}
_USES_BTF = frozenset({"list", "show", "export", "extract", "probe"})


# ---- renderers ----


def list_kfuncs(table: KfuncTable) -> str:
    """One line per kfunc: id, name, flags."""
    lines = [
        f"{s.btf_id:>7}  {s.name:<40} {' '.join(f.removeprefix('KF_') for f in s.flag_names)}"
        .rstrip()
        for s in sorted(table, key=lambda s: s.name)
    ]
    return "\n".join(lines) + "\n"


def show_kfunc(table: KfuncTable, name: str) -> str:
    """Everything the table knows about one kfunc."""
    spec = table.by_name(name)
    if spec is None:
        raise TableError(f"no kfunc named {name}", path=table.file.path)
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
        ("prog_types", " ".join(access_labels(spec.access)) or "-"),
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
        out.append(f"{fam.name:<22} {len(mem[fam]):>3}  {fdef.predicate}{union}")
    return "\n".join(out) + "\n"


def show_family(file: TableFile, name: str) -> str:
    """A family's member kfuncs, one per line."""
    try:
        fam = Family[name.upper()]
    except KeyError:
        raise TableError(f"unknown family {name}", path=file.path) from None
    if fam not in file.families:
        raise TableError(f"family {fam.name} is not declared by {file.profile}", path=file.path)
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
        "prog_types": list(access_labels(spec.access)),  # PROG or PROG:ATTACH_TYPE
    }


def diff(a: TableFile, b: TableFile) -> str:
    """Kfuncs added and removed from ``a`` to ``b``, and changed flags, families and sets."""
    ea = {k.name: k for k in a.kfuncs}
    eb = {k.name: k for k in b.kfuncs}
    out = [f"--- {a.profile} ({a.path})", f"+++ {b.profile} ({b.path})"]
    out += [f"+ {n}" for n in sorted(eb.keys() - ea.keys())]
    out += [f"- {n}" for n in sorted(ea.keys() - eb.keys())]
    inc_a, inc_b = closure(a.families), closure(b.families)
    for name in sorted(ea.keys() & eb.keys()):
        out += _entry_changes(ea[name], eb[name], inc_a, inc_b)
    return "\n".join(out) + "\n"


def _entry_changes(ea: KfuncEntry, eb: KfuncEntry, inc_a: Mapping[Family, frozenset[Family]],
                   inc_b: Mapping[Family, frozenset[Family]]) -> list[str]:
    out = []
    if ea.flags != eb.flags:
        out.append(f"~ {ea.name}: flags {_set_change(flag_names(ea.flags), flag_names(eb.flags))}")
    fams_a = {f.name for f in effective_families(ea.families, inc_a)}
    fams_b = {f.name for f in effective_families(eb.families, inc_b)}
    if fams_a != fams_b:
        out.append(f"~ {ea.name}: families {_set_change(fams_a, fams_b)}")
    if set(ea.sets) != set(eb.sets):
        out.append(f"~ {ea.name}: sets {_set_change(ea.sets, eb.sets)}")
    return out


def _set_change(old: tuple[str, ...] | set[str], new: tuple[str, ...] | set[str]) -> str:
    added = [f"+{x}" for x in sorted(set(new) - set(old))]
    removed = [f"-{x}" for x in sorted(set(old) - set(new))]
    return " ".join(added + removed)


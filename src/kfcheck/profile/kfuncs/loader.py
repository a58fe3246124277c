"""Read and validate a kfunc table file (TOML, stdlib ``tomllib``) into a ``TableFile``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from kfcheck.errors import TableError, in_file
from kfcheck.files import MAX_TEXT_SIZE, read_input
from kfcheck.profile.kfuncs.codegen import config_condition
from kfcheck.profile.kfuncs.families import check_unions, members
from kfcheck.profile.kfuncs.schema import (
    ITER_METHODS,
    Annotation,
    Family,
    FamilyDef,
    FilterKind,
    Hook,
    KfFlag,
    KfuncEntry,
    SetDef,
    TableFile,
)

_TOP_KEYS = {"profile", "families", "sets", "kfunc"}
_PROFILE_KEYS = {"name", "kernel", "flags", "annotations", "special_kfuncs", "note",
                 "args_trusted_by_default", "refused_families",
                 "sleepable_cb_needs_sleepable_prog", "map_arg_matched_always"}
_DELTA_KEYS = {"base", "remove"}
_MAX_BASES = 4  # a delta's base may itself be a delta, this deep
_FAMILY_KEYS = {"union", "doc", "predicate", "set"}
_SET_KEYS = {"hooks", "file", "filter", "kernel_filter", "note"}
_KFUNC_KEYS = {"name", "flags", "families", "sets", "since", "config", "note"}
_C_NAME = re.compile(r"^[A-Za-z_]\w*$")
_ITER_NAME = re.compile(r"^bpf_iter_(\w+)_(new|next|destroy)$")


def load_table_file(path: str | Path) -> TableFile:
    """Read and validate the table file at ``path``."""
    where = str(path)
    raw = read_toml(where)
    with in_file(where):
        return parse_table(_with_base(raw, Path(path), 0), where)


def _with_base(raw: dict[str, Any], path: Path, depth: int) -> dict[str, Any]:
    """A delta table (``[delta] base = FILE``) applied to its base, read relative to ``path``:
    its ``[profile]``, ``[families]`` and ``[sets]`` keys replace the base's, a ``[[kfunc]]``
    replaces the base entry of the same name (else is added) and ``remove`` drops entries.
    A table without ``[delta]`` is returned as it is."""
    delta = raw.get("delta")
    if delta is None:
        return raw
    delta = _as_table(delta, "[delta]")
    _keys(delta, _DELTA_KEYS, "[delta]")
    _keys(raw, _TOP_KEYS | {"delta"}, "the table")
    if depth >= _MAX_BASES:
        raise TableError(f"[delta]: more than {_MAX_BASES} bases deep")
    base_path = path.parent / _str(delta, "base", "[delta]", required=True)
    with in_file(str(base_path)):
        base = _with_base(read_toml(str(base_path)), base_path, depth + 1)
    out = {key: value for key, value in base.items() if key != "kfunc"}
    for key in ("profile", "families", "sets"):
        with in_file(str(base_path)):
            base_table = _table(base, key)
        out[key] = {**base_table, **_table(raw, key)}
    removed = set(_strs(delta, "remove", "[delta]"))
    entries = {str(e.get("name")): e for e in raw.get("kfunc", []) if isinstance(e, dict)}
    kfuncs = [entries.pop(str(e.get("name")), e) for e in base.get("kfunc", [])
              if isinstance(e, dict)]
    unknown = removed - {str(e.get("name")) for e in kfuncs}
    if unknown:
        raise TableError(f"[delta]: remove names no kfunc of the base: "
                         f"{', '.join(sorted(unknown))}")
    out["kfunc"] = [e for e in kfuncs if e.get("name") not in removed] + list(entries.values())
    return out


def read_toml(path: str) -> dict[str, Any]:
    """The TOML document in the file ``path`` (a regular file of at most ``MAX_TEXT_SIZE``
    bytes); every failure is one ``TableError`` line, also for bytes that are not UTF-8 and
    for nesting deeper than Python's recursion limit (``tomllib`` recurses per level)."""
    data = read_input(path, TableError, MAX_TEXT_SIZE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise TableError(f"invalid TOML: not UTF-8: byte 0x{data[err.start]:02x} at line "
                         f"{line}", path=path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TableError(f"invalid TOML: {err}", path=path) from None
    except RecursionError:
        raise TableError("invalid TOML: arrays or tables nested too deeply", path=path) from None


def parse_table(raw: Mapping[str, Any], path: str) -> TableFile:
    """Validate the decoded table document of the file ``path``; errors name it (one line
    each: names with line breaks or other unprintable characters are shown escaped by
    ``TableError``)."""
    with in_file(path):
        return _parse_table(raw, path)


def _parse_table(raw: Mapping[str, Any], path: str) -> TableFile:
    _keys(raw, _TOP_KEYS, "the table")
    prof = _table(raw, "profile")
    _keys(prof, _PROFILE_KEYS, "[profile]")
    flags = _profile_flags(_strs(prof, "flags", "[profile]"))
    annotations = tuple(
        _enum(Annotation, a, "annotation", "[profile]", by_value=True)
        for a in _strs(prof, "annotations", "[profile]")
    )
    families = _families(_table(raw, "families"))
    sets = _sets(_table(raw, "sets"))
    kfuncs = _kfuncs(raw.get("kfunc", []), flags, families, sets)
    _check_set_families(families, sets, kfuncs)
    names = {k.name for k in kfuncs}
    special = tuple(_strs(prof, "special_kfuncs", "[profile]"))
    _unique(special, "special_kfuncs entry")
    for name in special:
        if name not in names:
            raise TableError(f"special kfunc {name} has no [[kfunc]] entry")
    return TableFile(
        path=path,
        profile=_str(prof, "name", "[profile]", required=True),
        kernel=_str(prof, "kernel", "[profile]", required=True),
        flags=flags,
        annotations=annotations,
        special_kfuncs=special,
        families=families,
        sets=sets,
        kfuncs=kfuncs,
        args_trusted_by_default=_bool(prof, "args_trusted_by_default", "[profile]"),
        sleepable_cb_needs_sleepable_prog=_bool(prof, "sleepable_cb_needs_sleepable_prog",
                                                "[profile]"),
        map_arg_matched_always=_bool(prof, "map_arg_matched_always", "[profile]"),
        refused=_refused(_strs(prof, "refused_families", "[profile]"), families),
    )


def _refused(names: list[str], families: dict[Family, FamilyDef]) -> int:
    """``refused_families``: declared families whose kfuncs the build refuses (a mask)."""
    mask = 0
    for name in names:
        family = _enum(Family, name, "refused family", "[profile]")
        if family not in families:
            raise TableError(f"[profile]: refused family {name} is not declared")
        mask |= int(family)
    return mask


def _profile_flags(names: list[str]) -> KfFlag:
    flags = KfFlag(0)
    for name in names:
        flags |= _enum(KfFlag, name, "flag", "[profile]")
    return flags


def _families(raw: Mapping[str, Any]) -> dict[Family, FamilyDef]:
    out: dict[Family, FamilyDef] = {}
    for name, body in raw.items():
        fam = _enum(Family, name, "family", "[families]")
        ctx = f"[families.{name}]"
        body = _as_table(body, ctx)
        _keys(body, _FAMILY_KEYS, ctx)
        union = tuple(
            _enum(Family, u, "family", ctx) for u in _strs(body, "union", ctx)
        )
        predicate = _str(body, "predicate", ctx)
        if predicate and not _C_NAME.match(predicate):
            raise TableError(f"{ctx}: predicate {predicate!r} is not a C identifier")
        out[fam] = FamilyDef(fam, union, _str(body, "doc", ctx), predicate,
                             _str(body, "set", ctx))
    for fdef in out.values():
        for member in fdef.union:
            if member not in out:
                raise TableError(f"[families.{fdef.family.name}]: union names undeclared family "
                    f"{member.name}"
                )
    check_unions(out)
    return out


def _sets(raw: Mapping[str, Any]) -> dict[str, SetDef]:
    out: dict[str, SetDef] = {}
    for name, body in raw.items():
        ctx = f"[sets.{name}]"
        body = _as_table(body, ctx)
        _keys(body, _SET_KEYS, ctx)
        hooks = frozenset(
            _enum(Hook, h, "hook", ctx) for h in _strs(body, "hooks", ctx)
        )
        if not hooks:
            raise TableError(f"{ctx}: no hooks")
        filt = _str(body, "filter", ctx)
        out[name] = SetDef(
            name=name,
            hooks=hooks,
            file=_str(body, "file", ctx),
            filter=_enum(FilterKind, filt, "filter", ctx) if filt else None,
            kernel_filter=_str(body, "kernel_filter", ctx),
            note=_str(body, "note", ctx),
        )
    return out


def _kfuncs(
    raw: Any, flags: KfFlag, families: dict[Family, FamilyDef], sets: dict[str, SetDef],
) -> tuple[KfuncEntry, ...]:
    if not isinstance(raw, list):
        raise TableError("kfunc must be an array of tables ([[kfunc]])")
    out: list[KfuncEntry] = []
    seen: set[str] = set()
    for i, body in enumerate(raw):
        body = _as_table(body, f"[[kfunc]] #{i + 1}")
        name = _str(body, "name", f"[[kfunc]] #{i + 1}", required=True)
        ctx = f"kfunc {name}"
        _keys(body, _KFUNC_KEYS, ctx)
        if name in seen:
            raise TableError(f"duplicate entry for kfunc {name}")
        seen.add(name)
        kf = 0
        for fname in _strs(body, "flags", ctx):
            flag = _enum(KfFlag, fname, "flag", ctx)
            if not flag & flags:
                raise TableError(f"{ctx}: flag {fname} is not a flag of this profile")
            kf |= flag
        _check_iter(name, kf, ctx)
        fams = frozenset(
            _enum(Family, f, "family", ctx) for f in _strs(body, "families", ctx)
        )
        for fam in fams:
            if fam not in families:
                raise TableError(f"{ctx}: family {fam.name} is not declared in [families]")
        kset = tuple(_strs(body, "sets", ctx))
        if not kset:
            raise TableError(f"{ctx}: no sets")
        for sname in kset:
            if sname not in sets:
                raise TableError(f"{ctx}: set {sname} is not declared in [sets]")
        config = _str(body, "config", ctx)
        if config:
            config_condition(config)
        out.append(KfuncEntry(
            name=name,
            flags=kf,
            families=fams,
            sets=kset,
            since=_str(body, "since", ctx),
            config=config,
            note=_str(body, "note", ctx),
        ))
    return tuple(out)


def _check_set_families(
    families: dict[Family, FamilyDef], sets: dict[str, SetDef], kfuncs: tuple[KfuncEntry, ...],
) -> None:
    """A family the kernel tests as a kfunc set lists exactly that set's kfuncs."""
    listed = members(kfuncs, families)
    for fam, fdef in families.items():
        if not fdef.kernel_set:
            continue
        ctx = f"[families.{fam.name}]"
        if fdef.kernel_set not in sets:
            raise TableError(f"{ctx}: set {fdef.kernel_set} is not declared in [sets]")
        if fdef.union:
            raise TableError(f"{ctx}: a set-based family cannot have a union")
        in_set = sorted(k.name for k in kfuncs if fdef.kernel_set in k.sets)
        if sorted(listed[fam]) != in_set:
            odd = sorted(set(listed[fam]) ^ set(in_set))
            raise TableError(f"{ctx}: members differ from set {fdef.kernel_set} "
                             f"({', '.join(odd)})")


def _check_iter(name: str, flags: int, ctx: str) -> None:
    """``btf_check_iter_kfuncs`` naming rules: one KF_ITER_* flag, bpf_iter_<type>_<method>."""
    iters = [f for f in ITER_METHODS if f & flags]
    if len(iters) > 1:
        names = " and ".join(f.name or "" for f in iters)
        raise TableError(f"{ctx}: more than one KF_ITER_* flag ({names})")
    match = _ITER_NAME.match(name)
    if iters:
        want = ITER_METHODS[iters[0]]
        if match is None or match[2] != want:
            raise TableError(f"{ctx}: {iters[0].name} kfunc must be named bpf_iter_<type>_{want}")
    elif match is not None:
        raise TableError(f"{ctx}: iterator-named kfunc has no KF_ITER_* flag")


# ---- small typed accessors: every malformed value becomes a one-line TableError ----


def _keys(body: Mapping[str, Any], allowed: set[str], ctx: str) -> None:
    for key in body:
        if key not in allowed:
            raise TableError(f"{ctx}: unknown key {key!r}")


def _table(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    return _as_table(raw.get(key, {}), f"[{key}]")


def _as_table(value: Any, ctx: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise TableError(f"{ctx} must be a table")
    return value


def _str(body: Mapping[str, Any], key: str, ctx: str, required: bool = False) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise TableError(f"{ctx}: {key} must be a string")
    if required and not value:
        raise TableError(f"{ctx}: missing {key}")
    return value


def _bool(body: Mapping[str, Any], key: str, ctx: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise TableError(f"{ctx}: {key} must be true or false")
    return value


def _strs(body: Mapping[str, Any], key: str, ctx: str) -> list[str]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TableError(f"{ctx}: {key} must be a list of strings")
    _unique(value, f"{ctx}: {key} entry")
    return value


def _unique(values: list[str] | tuple[str, ...], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise TableError(f"duplicate {what} {v}")
        seen.add(v)


_E = TypeVar("_E", KfFlag, Family, Hook, FilterKind, Annotation)


def _enum(
    cls: type[_E], name: str, what: str, ctx: str, by_value: bool = False
) -> _E:
    if by_value:
        member = next((m for m in cls if m.value == name), None)
    else:
        member = cls.__members__.get(name)
    if member is None:
        raise TableError(f"{ctx}: unknown {what} {name}")
    return member

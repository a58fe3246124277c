"""``kfcheck profile``: list and show the kernel-build profiles, capture the running kernel's.

A captured profile is the running kernel's BTF plus the table of the nearest shipped profile
(the one a probe run disagrees with least) corrected by that run: flags the probe observed
otherwise are set or cleared, and the trusted-argument policy follows what it saw. What the
probe could not observe, or observed but a table entry cannot express (availability per
program type, union families), is listed in the manifest as ``unconfirmed``.
"""

from __future__ import annotations

import datetime
import hashlib
import lzma
import shutil
from dataclasses import dataclass
from pathlib import Path

from kfcheck import host
from kfcheck.errors import KernelError, TableError
from kfcheck.files import read_input
from kfcheck.host import running_build, sysfs_btf
from kfcheck.kernel.probe import (
    Comparison,
    Fact,
    ProbeRun,
    compare,
    probe,
    require_kernel,
)
from kfcheck.profile.embedded import (
    MANIFEST_SUFFIX,
    Manifest,
    default_profile,
    list_manifests,
    load_profile,
    read_manifest,
    user_profile_dir,
)
from kfcheck.profile.kfuncs.loader import read_toml
from kfcheck.profile.kfuncs.schema import KfFlag, KfuncEntry, TableFile, flag_names


def list_profiles() -> str:
    """One line per profile, marking the running kernel's and the default."""
    build = running_build()
    choice = default_profile()
    rows = [("NAME", "RECORDED", "BTF SHA256", "SOURCE", "")]
    for m in list_manifests():
        marks = []
        if build is not None and m.btf_sha256 == build.btf_sha256:
            marks.append("running kernel")
        if m.name == choice.name:
            marks.append("default")
        rows.append((m.name, m.recorded, m.btf_sha256[:16],
                     "shipped" if m.shipped else "captured", ", ".join(marks)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
             for r in rows]
    lines.append(f"# default: {choice.name}: {choice.reason}")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def show_profile(name: str) -> str:
    """A profile's manifest, table summary and unconfirmed facts."""
    m = read_manifest(name)
    profile = load_profile(name=m.name)
    table = profile.table.file
    lines = [
        f"name: {m.name}",
        f"kernel: {m.kernel}",
        f"source: {'shipped' if m.shipped else 'captured'} ({m.btf.parent})",
        f"recorded: {m.recorded}",
        f"btf: {m.btf.name} ({m.btf_size} bytes, sha256 {m.btf_sha256})",
        f"table: {' <- '.join(p.name for p in table_chain(m.table))}",
        f"kfuncs: {len(profile.table)}, families: {len(table.families)}, "
        f"sets: {len(table.sets)}",
        f"pointer arguments trusted by default: "
        f"{'yes' if table.args_trusted_by_default else 'no (KF_TRUSTED_ARGS, KF_RELEASE)'}",
    ]
    if m.unconfirmed:
        lines.append(f"unconfirmed: {len(m.unconfirmed)}")
        lines.extend(f"  {u}" for u in m.unconfirmed)
    return "\n".join(lines) + "\n"


def table_chain(path: Path) -> list[Path]:
    """A table file and the bases it is a delta over, nearest first."""
    chain = [path]
    while len(chain) <= 8:
        try:
            base = read_toml(str(chain[-1])).get("delta", {}).get("base")
        except (TableError, AttributeError):
            break
        if not isinstance(base, str):
            break
        chain.append(chain[-1].parent / base)
    return chain


# ---- capture ----


@dataclass(frozen=True, slots=True)
class Corrections:
    """What a probe run changes in a table: replaced entries, the trust policy, and the facts
    it cannot express or could not observe."""

    entries: tuple[KfuncEntry, ...]
    args_trusted_by_default: bool
    unconfirmed: tuple[str, ...]


def capture_profile(name: str = "", timeout: float = 120.0) -> str:
    """Capture the running kernel's profile into ``user_profile_dir()``; return a summary."""
    require_kernel()
    build = running_build()
    if build is None:
        raise KernelError("cannot read the running kernel's BTF", path=sysfs_btf())
    shipped = [m for m in list_manifests() if m.shipped]
    name = name or build.release
    if any(m.name == name for m in shipped):
        name = f"{name}-captured"
    start = load_profile(sysfs_btf(), default_profile().name)
    run = probe(start.table, start.btf, timeout)
    if run.timed_out:
        raise KernelError(f"probe: time limit of {timeout:g} s reached: raise --timeout")
    scored = []
    for m in shipped:
        table = load_profile(sysfs_btf(), m.name).table
        scored.append((len(compare(table, run).disagreements), m.name != start.name, m, table))
    count, _, nearest, table = min(scored, key=lambda s: s[:2])
    fixes = corrections(table.file, compare(table, run), run)
    written = _write(name, nearest, fixes, build.btf_sha256)
    again = compare(load_profile(name=name).table, run)
    return (f"captured {name} ({build.short}) in {written}\n"
            f"nearest shipped profile: {nearest.name} ({count} disagreements with the probe)\n"
            f"corrected entries: {len(fixes.entries)}; pointer arguments trusted by default: "
            f"{'yes' if fixes.args_trusted_by_default else 'no'}\n"
            f"disagreements left: {len(again.disagreements)}; unconfirmed facts: "
            f"{len(fixes.unconfirmed)} (kfcheck profile show {name})\n")


_FLAG_OF_FACT = {"sleepable": KfFlag.KF_SLEEPABLE, "ret_null": KfFlag.KF_RET_NULL,
                 "acquire": KfFlag.KF_ACQUIRE, "release": KfFlag.KF_RELEASE,
                 "rcu": KfFlag.KF_RCU, "rcu_protected": KfFlag.KF_RCU_PROTECTED}


def corrections(file: TableFile, cmp: Comparison, run: ProbeRun) -> Corrections:
    """The probe's observations applied to ``file``'s entries (see the module docstring)."""
    entries = {e.name: e for e in file.kfuncs}
    # Trusted by default: no kfunc took an untrusted pointer, and some without
    # KF_TRUSTED_ARGS or KF_RELEASE refused one.
    trust = KfFlag.KF_TRUSTED_ARGS | KfFlag.KF_RELEASE
    seen = {o.name: o.facts[Fact.TRUSTED_ARGS] for o in run.kfuncs
            if Fact.TRUSTED_ARGS in o.facts and o.name in entries}
    by_default = all(seen.values()) and any(
        not entries[name].flags & trust for name, trusted in seen.items() if trusted)
    changed: dict[str, KfuncEntry] = {}
    unconfirmed = [f"{kfunc}: {fact.value}: not probed: {why}"
                   for kfunc, fact, why in cmp.unprobed]

    def fix(name: str, flag: KfFlag, on: bool, fact: str) -> None:
        entry = changed.get(name, entries[name])
        flags = entry.flags | flag if on else entry.flags & ~flag
        note = (entry.note + "; " if entry.note else "") + f"{fact} corrected by a probe"
        changed[name] = KfuncEntry(entry.name, flags, entry.families, entry.sets,
                                   entry.since, entry.config, note)

    for name, trusted in seen.items():
        says = by_default or bool(entries[name].flags & trust)
        if says != trusted:
            if not trusted and entries[name].flags & KfFlag.KF_RELEASE:
                unconfirmed.append(f"{name}: trusted_args: the kernel says no; KF_RELEASE "
                                   "implies it: not expressible per entry")
            else:
                fix(name, KfFlag.KF_TRUSTED_ARGS, trusted, "trusted_args")
    for d in cmp.disagreements:
        flag = _FLAG_OF_FACT.get(d.fact.value)
        if d.fact is Fact.TRUSTED_ARGS:
            continue
        if flag is None:
            where = f" in {d.target}" if d.target else ""
            unconfirmed.append(f"{d.kfunc}: {d.fact.value}{where}: the kernel says "
                               f"{'yes' if d.kernel else 'no'}; not expressible per entry")
            continue
        fix(d.kfunc, flag, d.kernel, d.fact.value)
    return Corrections(tuple(changed.values()), by_default, tuple(unconfirmed))


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


@dataclass(frozen=True)
class _Machine:
    """What a capture recorded of the machine: manifest keys and the files they name."""

    files: tuple[tuple[str, str], ...]
    possible_cpus: int
    page_size: int


def _write_machine(home: Path) -> _Machine:
    """Record this machine's kernel config and symbol addresses in ``home`` (those it can
    read); the possible-CPU count and page size go in the manifest."""
    files = []
    config = host.config_text()
    if config is not None:
        (home / "kconfig").write_text(config)
        files.append(("kconfig", "kconfig"))
    symbols = host.kallsyms_text()
    if symbols:
        (home / "kallsyms.xz").write_bytes(lzma.compress(symbols.encode()))
        files.append(("kallsyms", "kallsyms.xz"))
    facts = host.machine_facts()
    return _Machine(tuple(files), facts.possible_cpus, facts.page_size)


def _write(name: str, nearest: Manifest, fixes: Corrections, sha256: str) -> Path:
    """Write the profile ``name``: manifest, BTF copy, the nearest table chain and a delta."""
    root = user_profile_dir()
    home = root / name
    home.mkdir(parents=True, exist_ok=True)
    data = read_input(sysfs_btf(), KernelError)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise KernelError("the running kernel's BTF changed during the capture", path=sysfs_btf())
    (home / "vmlinux.btf").write_bytes(data)
    for path in table_chain(nearest.table):
        shutil.copyfile(path, home / path.name)
    lines = [f"# Captured from the running kernel: the {nearest.name} table corrected by a "
             "probe run.", "[delta]", f"base = {_toml_str(nearest.table.name)}", "",
             "[profile]", f"name = {_toml_str(name)}", f"kernel = {_toml_str(name)}",
             f"args_trusted_by_default = {'true' if fixes.args_trusted_by_default else 'false'}"]
    for e in fixes.entries:
        lines += ["", "[[kfunc]]", f"name = {_toml_str(e.name)}",
                  f"flags = {_toml_list(flag_names(e.flags))}",
                  f"families = {_toml_list(sorted(f.name for f in e.families))}",
                  f"sets = {_toml_list(e.sets)}"]
        lines += [f"{key} = {_toml_str(val)}" for key, val in
                  (("since", e.since), ("config", e.config), ("note", e.note)) if val]
    table = home / "captured.kfuncs.toml"
    table.write_text("\n".join(lines) + "\n")
    machine = _write_machine(home)
    manifest = root / f"{name}{MANIFEST_SUFFIX}"
    manifest.write_text("\n".join([
        "[profile]", f"name = {_toml_str(name)}", f"kernel = {_toml_str(name)}",
        f"recorded = {_toml_str(datetime.date.today().isoformat())}",
        f"btf = {_toml_str(f'{name}/vmlinux.btf')}",
        f"btf_sha256 = {_toml_str(sha256)}", f"btf_size = {len(data)}",
        f"table = {_toml_str(f'{name}/{table.name}')}",
        f"unconfirmed = {_toml_list(fixes.unconfirmed)}",
        *(f"{key} = {_toml_str(f'{name}/{file}')}" for key, file in machine.files),
        f"possible_cpus = {machine.possible_cpus}", f"page_size = {machine.page_size}",
    ]) + "\n")
    try:
        load_profile(name=name)
    except TableError as exc:
        raise TableError(f"captured table does not load: {exc.problem}", path=str(table)) from None
    return manifest
